"""The rough sleeping rules the service decides: when to call 999, and where a report goes."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

import pytest

from bot.backoffice.models.rough_sleeping import OutreachTeam, RoughSleepingReport
from bot.backoffice.services import rough_sleeping as service
from bot.db import session_scope

NOW = datetime(2026, 12, 18, 17, 0)  # a Friday, a week before Christmas
REPORT = service.ReportInput(
    location_text="Doorway of the old Woolworths, High Street", postcode="AN2 3CC",
    latitude=None, longitude=None, what3words=None, seen_at=datetime(2026, 12, 17, 23, 0),
    person_description="Man, about 40, green parka", site_description=None, people_count=1,
    under_18=False, immediate_danger=False, reporter_name=None, reporter_phone=None,
    reporter_email=None, consent_to_contact=False, consent_to_updates=False,
)


@pytest.fixture
def session(backoffice_app):
    with session_scope(backoffice_app.state.session_factory) as session:
        yield session


@pytest.mark.parametrize(("under_18", "immediate_danger", "expected"), [
    (False, False, False),
    (True, False, True),
    (False, True, True),
    (True, True, True),
])
def test_call_999_when_in_immediate_danger_or_possibly_under_18(under_18, immediate_danger,
                                                                 expected):
    report = RoughSleepingReport(under_18=under_18, immediate_danger=immediate_danger)
    assert service.call_999(report) is expected


def test_a_report_with_a_team_is_routed_to_that_team_and_its_ward():
    team = OutreachTeam(code="outreach-northfield", name="Northfield Street Outreach Team",
                        ward="Northfield")
    report = RoughSleepingReport(routed_to_kind=service.ROUTED_OUTREACH, ward="Northfield")
    assert service.routing(report, team) == service.Routing(
        kind="outreach_team", name="Northfield Street Outreach Team",
        team_code="outreach-northfield", ward="Northfield")


def test_a_report_without_a_team_is_routed_to_childrens_services_and_the_police():
    report = RoughSleepingReport(routed_to_kind=service.ROUTED_CHILDREN, ward="Central")
    assert service.routing(report, None) == service.Routing(
        kind="childrens_services", name=service.CHILDRENS_SERVICES_NAME, team_code=None,
        ward="Central")


def test_created_report_goes_to_the_outreach_team_of_the_postcodes_ward(session):
    created = service.create_report(session, NOW, REPORT)
    assert created.routed_to.team_code == "outreach-northfield"
    assert created.status == service.STATUS_WITH_OUTREACH
    assert created.call_999 is False
    assert service.report_status(session, created.reference).routed_to == created.routed_to


def test_created_report_about_a_child_goes_to_childrens_services_and_says_call_999(session):
    created = service.create_report(session, NOW, replace(REPORT, under_18=True))
    assert created.routed_to.kind == service.ROUTED_CHILDREN
    assert created.routed_to.team_code is None
    assert created.status == service.STATUS_CHILDRENS_SERVICES
    assert created.call_999 is True
    assert "999" in created.next_steps[0]


def test_report_without_a_known_ward_goes_to_the_default_team(session):
    created = service.create_report(session, NOW, replace(REPORT, postcode="ZZ9 9ZZ"))
    assert created.routed_to.team_code == "outreach-central"
