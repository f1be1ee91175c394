"""The purge timer runs its job at start-up and again each period; a failing run is logged by
its error type only and the next run still happens."""

from __future__ import annotations

import asyncio
import logging

from bot.privacy import schedule


async def test_the_job_runs_and_a_failure_does_not_stop_the_timer(monkeypatch, caplog):
    monkeypatch.setattr(schedule, "FIRST_RUN_SECONDS", 0)
    runs: list[int] = []

    def job() -> dict[str, int]:
        runs.append(1)
        if len(runs) == 1:
            raise RuntimeError("alex.resident@mail.test")  # an error quoting personal data
        return {"conversations_deleted": 2}

    real_sleep = asyncio.sleep
    monkeypatch.setattr(schedule.asyncio, "sleep", lambda seconds: real_sleep(0.01))
    with caplog.at_level(logging.INFO, logger=schedule.__name__):
        async with schedule.purging(1, job):
            while len(runs) < 2:
                await real_sleep(0.01)
    assert "RuntimeError" in caplog.text and "mail.test" not in caplog.text
    assert "conversations_deleted=2" in caplog.text


async def test_zero_minutes_never_runs_it():
    async with schedule.purging(0, lambda: {"never": 1 // 0}):
        await asyncio.sleep(0.01)
