"""Idempotency-Key over real HTTP: one write however many times it is sent, even at once; a
failed first try frees the key; records expire after the retention setting."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta

import pytest
import requests

from bot.backoffice.idempotency import IN_PROGRESS, purge_expired
from bot.backoffice.models import IdempotencyRecord
from bot.db import session_scope
from tests.bot.backoffice.test_rough_sleeping import NOW, count_reports, report
from tests.conftest import AUTH


@pytest.fixture
def backoffice(backoffice):  # type: ignore[no-untyped-def]
    backoffice.put("/_admin/clock", json={"now": NOW})
    return backoffice


def send(url: str, key: str) -> requests.Response:
    return requests.post(f"{url}/rough-sleeping/reports", json=report(),
                         headers={**AUTH, "Idempotency-Key": key}, timeout=10)


def test_concurrent_duplicates_make_one_report(served_backoffice):
    served_backoffice.set_faults(latency_ms=300)  # all eight arrive while the others wait
    requests.put(f"{served_backoffice.url}/_admin/clock", json={"now": NOW}, headers=AUTH,
                 timeout=5)
    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(lambda _: send(served_backoffice.url, "same-key"), range(8)))
    assert count_reports(served_backoffice) == 1
    created = [a for a in answers if a.status_code == 201]
    assert {a.json()["reference"] for a in created} == {created[0].json()["reference"]}
    assert all(a.status_code in (201, 409) for a in answers)
    for busy in (a for a in answers if a.status_code == 409):
        assert busy.json()["error"]["code"] == "idempotency_key_in_progress"
        assert busy.headers["Retry-After"] == "1"


def test_a_write_in_progress_answers_409_and_then_replays(backoffice):
    factory = backoffice.app.state.session_factory
    first = backoffice.post("/rough-sleeping/reports", json=report(),
                            headers={"Idempotency-Key": "k"})
    with session_scope(factory) as session:
        stored = session.get(IdempotencyRecord, "k")
        kept = (stored.status_code, stored.response_body)
        stored.status_code, stored.response_body = IN_PROGRESS, ""
    busy = backoffice.post("/rough-sleeping/reports", json=report(),
                           headers={"Idempotency-Key": "k"})
    assert (busy.status_code, busy.json()["error"]["code"]) == (409, "idempotency_key_in_progress")
    with session_scope(factory) as session:
        stored = session.get(IdempotencyRecord, "k")
        stored.status_code, stored.response_body = kept
    replay = backoffice.post("/rough-sleeping/reports", json=report(),
                             headers={"Idempotency-Key": "k"})
    assert replay.json() == first.json() and count_reports(backoffice) == 1


def test_a_first_try_that_fails_frees_the_key_for_the_retry(backoffice):
    backoffice.put("/_admin/faults", json={"error_rate": 1.0})
    failed = backoffice.post("/rough-sleeping/reports", json=report(),
                             headers={"Idempotency-Key": "k"})
    backoffice.put("/_admin/faults", json={})
    retried = backoffice.post("/rough-sleeping/reports", json=report(),
                              headers={"Idempotency-Key": "k"})
    assert (failed.status_code, retried.status_code) == (500, 201)
    assert count_reports(backoffice) == 1


def test_records_past_the_retention_period_are_purged_and_the_key_is_new(backoffice):
    factory = backoffice.app.state.session_factory
    retention = backoffice.app.state.settings.backoffice_idempotency_retention_seconds
    backoffice.post("/rough-sleeping/reports", json=report(), headers={"Idempotency-Key": "old"})
    backoffice.post("/rough-sleeping/reports", json=report(), headers={"Idempotency-Key": "new"})
    with session_scope(factory) as session:
        session.get(IdempotencyRecord, "old").created_at = (
            datetime.utcnow() - timedelta(seconds=retention + 60))
    with session_scope(factory) as session:
        assert purge_expired(session, datetime.utcnow(), retention) == 1
    with session_scope(factory) as session:
        assert [r.key for r in session.query(IdempotencyRecord)] == ["new"]
    again = backoffice.post("/rough-sleeping/reports", json=report(),
                            headers={"Idempotency-Key": "old"})
    assert again.status_code == 201 and "Idempotent-Replayed" not in again.headers
