"""RoughSleepingClient against the stub back office served over real HTTP."""

from __future__ import annotations

from datetime import date, datetime

import pytest
import requests
from sqlalchemy import func, select

from actions.backoffice.config import BackOfficeConfig
from actions.backoffice.errors import (
    BackOfficeAuthError,
    BackOfficeNotFound,
    BackOfficeRejected,
    BackOfficeTimeout,
    BackOfficeUnavailable,
)
from actions.backoffice.rough_sleeping import NewReport, Reporter, RoughSleepingClient
from bot.backoffice.models import RoughSleepingReport
from bot.db import session_scope
from tests.conftest import AUTH, free_port

NOW = "2026-12-18T17:00:00"


@pytest.fixture
def client(served_backoffice) -> RoughSleepingClient:
    requests.put(f"{served_backoffice.url}/_admin/clock", json={"now": NOW}, headers=AUTH,
                 timeout=5)
    return RoughSleepingClient(served_backoffice.config())


def new_report(**overrides) -> NewReport:
    values: dict = {
        "location_text": "Bus shelter opposite the library, Church Lane",
        "seen_at": datetime(2026, 12, 17, 23, 0),
        "person_description": "Woman, 30s, red hat",
        "postcode": "AN2 3CC",
    }
    values.update(overrides)
    return NewReport(**values)


def report_count(served_backoffice) -> int:
    with session_scope(served_backoffice.app.state.session_factory) as session:
        return session.scalar(select(func.count()).select_from(RoughSleepingReport))


def test_create_report_returns_reference_routing_and_update_date(client):
    created = client.create_report(new_report(
        reporter=Reporter(name="Pat", email="pat@example.com"),
        consent_to_contact=True, consent_to_updates=True,
    ))

    assert created.reference.startswith("RS-")
    assert created.routed_to.kind == "outreach_team"
    assert created.routed_to.ward == "Northfield"
    assert created.update_due == date(2027, 1, 6)
    assert created.call_999 is False
    assert created.next_steps


def test_under_18_report_goes_to_childrens_services(client):
    created = client.create_report(new_report(under_18=True))
    assert created.routed_to.kind == "childrens_services"
    assert created.call_999 is True


def test_same_idempotency_key_makes_one_report(client, served_backoffice):
    first = client.create_report(new_report(), idempotency_key="conversation-7-report")
    again = client.create_report(new_report(), idempotency_key="conversation-7-report")

    assert again.reference == first.reference
    assert report_count(served_backoffice) == 1


def test_get_report_status_by_reference(client):
    created = client.create_report(new_report())
    status = client.get_report(created.reference)
    assert status.reference == created.reference
    assert status.status == "passed_to_outreach"
    assert status.routed_to.team_code == "outreach-northfield"


def test_unknown_reference_raises_not_found(client):
    with pytest.raises(BackOfficeNotFound) as caught:
        client.get_report("RS-999999")
    assert caught.value.code == "unknown_reference"


def test_refused_report_raises_rejected_with_code(client, served_backoffice):
    with pytest.raises(BackOfficeRejected) as caught:
        client.create_report(new_report(reporter=Reporter(phone="07700900123")))
    assert caught.value.code == "consent_required"
    assert caught.value.status_code == 422
    assert report_count(served_backoffice) == 0


def test_swep_read_and_switched(client):
    assert client.get_swep().active is False
    switched = client.set_swep(True, "Snow forecast")
    assert switched.active is True and switched.reason == "Snow forecast"
    assert client.get_swep().active is True
    assert client.create_report(new_report()).swep_active is True


def test_outreach_teams_listed(client):
    assert {team.ward for team in client.list_outreach_teams()} == {"Central", "Northfield"}


def test_outage_raises_unavailable_and_writes_nothing(client, served_backoffice):
    served_backoffice.set_faults(outage=True)
    with pytest.raises(BackOfficeUnavailable):
        client.create_report(new_report())
    with pytest.raises(BackOfficeUnavailable):
        client.get_swep()
    served_backoffice.set_faults(outage=False)
    assert report_count(served_backoffice) == 0


def test_slow_system_raises_timeout(served_backoffice):
    served_backoffice.set_faults(latency_ms=1500)
    client = RoughSleepingClient(served_backoffice.config(read_timeout=0.3, retries=0))
    with pytest.raises(BackOfficeTimeout):
        client.get_swep()


def test_wrong_token_raises_auth_error(served_backoffice):
    config = served_backoffice.config(token="not-the-token")
    with pytest.raises(BackOfficeAuthError):
        RoughSleepingClient(config).get_swep()


def test_unreachable_system_raises_unavailable():
    config = BackOfficeConfig(base_url=f"http://127.0.0.1:{free_port()}", token="t",
                              connect_timeout=0.5, retries=1, backoff_seconds=0.01)
    with pytest.raises(BackOfficeUnavailable):
        RoughSleepingClient(config).create_report(new_report())
