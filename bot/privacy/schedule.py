"""The purge on a timer, inside a long-running process (the gateway, the back office)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager, suppress

# Counts and error types only: a database error's text can quote the rows it touched.
logger = logging.getLogger(__name__)
FIRST_RUN_SECONDS = 60  # after start-up settles; a replica that restarts often still purges


async def _every(minutes: int, job: Callable[[], dict[str, int]]) -> None:
    await asyncio.sleep(min(FIRST_RUN_SECONDS, minutes * 60))
    while True:
        try:
            counts = await asyncio.to_thread(job)
            logger.info("Privacy purge: %s", ", ".join(f"{k}={v}" for k, v in counts.items()
                                                      if v) or "nothing was due")
        except Exception as exc:  # noqa: BLE001  (the next run retries; the process carries on)
            logger.error("Privacy purge failed (%s); retrying at the next run.",
                         type(exc).__name__)
        await asyncio.sleep(minutes * 60)


@asynccontextmanager
async def purging(minutes: int, job: Callable[[], dict[str, int]]) -> AsyncIterator[None]:
    """Run `job` every `minutes` while the block runs (0: never)."""
    task = asyncio.create_task(_every(minutes, job)) if minutes > 0 else None
    try:
        yield
    finally:
        if task is not None:
            task.cancel()
            with suppress(asyncio.CancelledError):
                await task
