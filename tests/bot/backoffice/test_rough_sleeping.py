"""The stub rough sleeping system: reports, routing, consent rules, status, SWEP."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import func, select

from bot.backoffice.models import RoughSleepingReport
from bot.db import session_scope

NOW = "2026-12-18T17:00:00"  # a Friday, a week before Christmas


@pytest.fixture(autouse=True)
def pinned_clock(backoffice) -> None:
    backoffice.put("/_admin/clock", json={"now": NOW})


def report(**overrides) -> dict:
    body = {
        "location_text": "Doorway of the old Woolworths, High Street, next to the bus stop",
        "seen_at": "2026-12-17T23:00:00",
        "person_description": "Man, about 40, green parka, has a dog",
        "site_description": "Sleeping bag and cardboard",
        "people_count": 1,
    }
    body.update(overrides)
    return body


def count_reports(backoffice) -> int:
    with session_scope(backoffice.app.state.session_factory) as session:
        return session.scalar(select(func.count()).select_from(RoughSleepingReport))


def test_report_routed_to_outreach_team_of_the_postcodes_ward(backoffice):
    response = backoffice.post("/rough-sleeping/reports", json=report(postcode="an2 3cc"))

    assert response.status_code == 201
    body = response.json()
    assert body["reference"].startswith("RS-") and len(body["reference"]) == 9
    assert body["reference"][3:].isdigit()
    assert body["routed_to"] == {"kind": "outreach_team", "name": "Northfield Street Outreach Team",
                                 "team_code": "outreach-northfield", "ward": "Northfield"}
    assert body["status"] == "passed_to_outreach"
    assert body["call_999"] is False
    assert body["update_due"] is None
    assert any("Northfield Street Outreach Team" in step for step in body["next_steps"])


def test_report_with_central_postcode_goes_to_central_team(backoffice):
    body = backoffice.post("/rough-sleeping/reports", json=report(postcode="AN1 2BB")).json()
    assert body["routed_to"]["team_code"] == "outreach-central"


@pytest.mark.parametrize("postcode", [None, "ZZ9 9ZZ"])
def test_report_without_known_ward_goes_to_default_central_team(backoffice, postcode):
    body = backoffice.post("/rough-sleeping/reports", json=report(postcode=postcode)).json()
    assert body["routed_to"]["team_code"] == "outreach-central"
    assert body["routed_to"]["ward"] == "Central"


def test_under_18_referred_to_childrens_services_not_outreach(backoffice):
    body = backoffice.post(
        "/rough-sleeping/reports", json=report(postcode="AN2 3CC", under_18=True)
    ).json()

    assert body["routed_to"]["kind"] == "childrens_services"
    assert body["routed_to"]["team_code"] is None
    assert body["status"] == "referred_to_childrens_services"
    assert body["call_999"] is True
    assert "999" in body["next_steps"][0]
    assert not any("Outreach Team" in step for step in body["next_steps"])


def test_immediate_danger_still_routed_to_outreach_and_says_call_999(backoffice):
    body = backoffice.post("/rough-sleeping/reports", json=report(immediate_danger=True)).json()
    assert body["routed_to"]["kind"] == "outreach_team"
    assert body["call_999"] is True
    assert "call 999" in body["next_steps"][0]


def test_update_promised_in_10_working_days_skipping_christmas_and_new_year(backoffice):
    body = backoffice.post("/rough-sleeping/reports", json=report(
        reporter={"name": "Pat", "email": "Pat@Example.com"},
        consent_to_contact=True, consent_to_updates=True,
    )).json()

    # 21-24 Dec, 29-31 Dec, 4-6 Jan: 25, 28 Dec and 1 Jan are bank holidays.
    assert body["update_due"] == "2027-01-06"
    assert any("Wednesday 6 January 2027" in step for step in body["next_steps"])


def test_contact_consent_without_updates_promises_no_update(backoffice):
    body = backoffice.post("/rough-sleeping/reports", json=report(
        reporter={"phone": "+44 7700 900123"}, consent_to_contact=True,
    )).json()
    assert body["update_due"] is None


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"location_text": "town"}, "location_text"),
        ({"location_text": None}, "location_text"),
        ({"postcode": "not a postcode"}, "postcode"),
        ({"latitude": 91, "longitude": 0}, "latitude"),
        ({"latitude": 52.1, "longitude": -181}, "longitude"),
        ({"latitude": 52.1}, "__root__"),
        ({"what3words": "filled count soap"}, "what3words"),
        ({"what3words": "///filled.count"}, "what3words"),
        ({"seen_at": "last night"}, "seen_at"),
        ({"person_description": ""}, "person_description"),
        ({"people_count": 0}, "people_count"),
        ({"people_count": 500}, "people_count"),
        ({"under_18": "maybe"}, "under_18"),
        ({"reporter": {"phone": "12345"}, "consent_to_contact": True}, "reporter.phone"),
        ({"reporter": {"email": "pat-at-example"}, "consent_to_contact": True}, "reporter.email"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_invalid_report_refused_with_field_and_nothing_written(backoffice, overrides, field):
    response = backoffice.post("/rough-sleeping/reports", json=report(**overrides))

    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    assert field in [f["field"] for f in error["fields"]]
    assert count_reports(backoffice) == 0


@pytest.mark.parametrize(
    ("seen_at", "code"),
    [("2026-12-19T09:00:00", "seen_in_future"), ("2026-10-01T22:00:00", "seen_too_long_ago")],
)
def test_sighting_in_future_or_long_ago_refused(backoffice, seen_at, code):
    response = backoffice.post("/rough-sleeping/reports", json=report(seen_at=seen_at))
    assert response.status_code == 422
    assert response.json()["error"]["code"] == code
    assert count_reports(backoffice) == 0


def test_timezone_aware_sighting_is_read_as_uk_time(backoffice):
    # 16:30 UTC in December is 16:30 in London, half an hour before the pinned now.
    response = backoffice.post("/rough-sleeping/reports",
                               json=report(seen_at="2026-12-18T16:30:00+00:00"))
    assert response.status_code == 201


def test_what3words_normalised(backoffice):
    response = backoffice.post("/rough-sleeping/reports",
                               json=report(what3words="Filled.Count.Soap"))
    assert response.status_code == 201
    with session_scope(backoffice.app.state.session_factory) as session:
        assert session.scalar(select(RoughSleepingReport.what3words)) == "///filled.count.soap"


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"reporter": {"name": "Pat", "phone": "07700900123"}}, "consent_required"),
        ({"consent_to_updates": True}, "consent_required"),
        ({"reporter": {"name": "Pat"}, "consent_to_contact": True}, "contact_details_required"),
        ({"consent_to_contact": True, "consent_to_updates": True}, "contact_details_required"),
    ],
)
def test_contact_details_only_with_consent(backoffice, overrides, code):
    response = backoffice.post("/rough-sleeping/reports", json=report(**overrides))
    assert response.status_code == 422
    assert response.json()["error"]["code"] == code
    assert count_reports(backoffice) == 0


def test_report_needs_service_token(backoffice):
    response = backoffice.post("/rough-sleeping/reports", json=report(),
                               headers={"Authorization": "Bearer wrong"})
    assert response.status_code == 401
    assert count_reports(backoffice) == 0


def test_retried_report_with_same_idempotency_key_made_once(backoffice):
    headers = {"Idempotency-Key": "rs-retry-1"}
    first = backoffice.post("/rough-sleeping/reports", json=report(), headers=headers)
    again = backoffice.post("/rough-sleeping/reports", json=report(), headers=headers)

    assert again.status_code == 201
    assert again.json()["reference"] == first.json()["reference"]
    assert again.headers["Idempotent-Replayed"] == "true"
    assert count_reports(backoffice) == 1


def test_idempotency_key_reused_for_different_report_refused(backoffice):
    headers = {"Idempotency-Key": "rs-retry-2"}
    backoffice.post("/rough-sleeping/reports", json=report(), headers=headers)
    response = backoffice.post("/rough-sleeping/reports", json=report(people_count=2),
                               headers=headers)
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "idempotency_key_reused"
    assert count_reports(backoffice) == 1


def test_status_by_reference_has_no_personal_details(backoffice):
    created = backoffice.post("/rough-sleeping/reports", json=report(
        postcode="AN2 3CC", reporter={"email": "pat@example.com"},
        consent_to_contact=True, consent_to_updates=True,
    )).json()

    response = backoffice.get(f"/rough-sleeping/reports/{created['reference']}")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "passed_to_outreach"
    assert body["routed_to"]["team_code"] == "outreach-northfield"
    assert body["update_due"] == created["update_due"]
    assert "parka" not in response.text and "pat@example.com" not in response.text


def test_status_of_unknown_or_malformed_reference(backoffice):
    unknown = backoffice.get("/rough-sleeping/reports/RS-999999")
    assert unknown.status_code == 404
    assert unknown.json()["error"]["code"] == "unknown_reference"
    malformed = backoffice.get("/rough-sleeping/reports/RS-12")
    assert malformed.status_code == 422
    assert malformed.json()["error"]["code"] == "validation_error"


def test_outreach_teams_one_per_ward(backoffice):
    teams = backoffice.get("/rough-sleeping/outreach-teams").json()
    assert {t["ward"]: t["is_default"] for t in teams} == {"Central": True, "Northfield": False}


def test_swep_off_by_default_and_switched_on_for_next_reports(backoffice):
    assert backoffice.get("/rough-sleeping/swep").json()["active"] is False

    switched = backoffice.put("/rough-sleeping/swep",
                              json={"active": True, "reason": "Below zero for three nights"})

    assert switched.status_code == 200
    assert backoffice.get("/rough-sleeping/swep").json() == {
        "active": True, "reason": "Below zero for three nights", "updated_at": NOW,
    }
    body = backoffice.post("/rough-sleeping/reports", json=report()).json()
    assert body["swep_active"] is True
    assert any("SWEP" in step for step in body["next_steps"])


def test_swep_switch_needs_token_and_valid_body(backoffice):
    refused = backoffice.put("/rough-sleeping/swep", json={"active": True},
                             headers={"Authorization": "Bearer wrong"})
    assert refused.status_code == 401
    invalid = backoffice.put("/rough-sleeping/swep", json={"active": "sometimes"})
    assert invalid.status_code == 422
    assert backoffice.get("/rough-sleeping/swep").json()["active"] is False


def test_every_capability_in_openapi_under_rough_sleeping_tag(backoffice):
    paths = backoffice.get("/openapi.json").json()["paths"]
    operations = {
        (method, path) for path, ops in paths.items() for method, op in ops.items()
        if "rough_sleeping" in op.get("tags", [])
    }
    assert operations == {
        ("post", "/rough-sleeping/reports"), ("get", "/rough-sleeping/reports/{reference}"),
        ("get", "/rough-sleeping/outreach-teams"), ("get", "/rough-sleeping/swep"),
        ("put", "/rough-sleeping/swep"),
    }


def test_descriptions_and_contact_never_logged(backoffice, caplog):
    caplog.set_level(logging.DEBUG)
    backoffice.post("/rough-sleeping/reports", json=report(
        reporter={"name": "Pat Reporter", "phone": "07700900123"}, consent_to_contact=True,
    ))
    assert caplog.records, "the report should at least log its reference"
    for text in ("parka", "cardboard", "Pat Reporter", "07700900123", "Woolworths"):
        assert text not in caplog.text
