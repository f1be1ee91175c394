"""The stub waste system: collections, bank-holiday moves, missed-bin rules, the A-Z."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

ACACIA_1, ACACIA_2, ACACIA_4 = "100000000101", "100000000102", "100000000104"
BEECH_FLAT_1 = "100000000201"
CHURCH_10, CHURCH_12 = "100000000310", "100000000312"


def pin(client: TestClient, now: str) -> None:
    assert client.put("/_admin/clock", json={"now": now}).status_code == 200


def services(client: TestClient, uprn: str) -> dict[str, dict]:
    response = client.get(f"/waste/collections/{uprn}")
    assert response.status_code == 200
    return {s["service"]: s for s in response.json()["services"]}


# -- Collections and the demo data ------------------------------------------------------------

def test_kerbside_property_gets_alternate_general_and_recycling_and_weekly_food(backoffice):
    pin(backoffice, "2026-12-07T09:00:00")  # a Monday
    got = services(backoffice, ACACIA_1)
    assert set(got) == {"general", "recycling", "food"}
    assert got["food"]["next"]["date"] == "2026-12-08"
    assert got["general"]["next"]["date"] == "2026-12-15"
    assert got["recycling"]["next"]["date"] == "2026-12-08"
    assert got["recycling"]["container"] == "blue bin"
    assert got["general"]["last"] == {"date": "2026-12-01", "original_date": None,
                                      "reason": None, "outcome": "collected", "note": None}


def test_only_the_subscriber_gets_garden_waste(backoffice):
    pin(backoffice, "2026-12-07T09:00:00")
    assert services(backoffice, CHURCH_10)["garden"]["frequency"] == "fortnightly"
    assert "garden" not in services(backoffice, CHURCH_12)


def test_flats_get_weekly_communal_collections_on_thursday(backoffice):
    pin(backoffice, "2026-12-07T09:00:00")
    got = services(backoffice, BEECH_FLAT_1)
    assert set(got) == {"communal_general", "communal_recycling"}
    assert {s["next"]["date"] for s in got.values()} == {"2026-12-10"}
    assert got["communal_general"]["bin_type"] == "general"


def test_collection_on_christmas_day_moves_to_next_working_day_with_reason(backoffice):
    pin(backoffice, "2026-12-21T09:00:00")
    got = services(backoffice, CHURCH_10)
    # Friday 25th is Christmas Day and Monday 28th the Boxing Day substitute holiday.
    for service in ("food", "garden", "recycling"):
        assert got[service]["next"] == {"date": "2026-12-29", "original_date": "2026-12-25",
                                        "reason": "Christmas Day bank holiday"}


def test_collection_on_a_normal_day_has_no_move(backoffice):
    pin(backoffice, "2026-12-21T09:00:00")
    food = services(backoffice, ACACIA_1)["food"]["next"]
    assert food == {"date": "2026-12-22", "original_date": None, "reason": None}


def test_todays_collection_is_next_until_crews_finish_at_four(backoffice):
    pin(backoffice, "2026-12-08T15:59:00")
    assert services(backoffice, ACACIA_1)["food"]["next"]["date"] == "2026-12-08"
    pin(backoffice, "2026-12-08T16:00:00")
    got = services(backoffice, ACACIA_1)["food"]
    assert got["next"]["date"] == "2026-12-15"
    assert got["last"]["date"] == "2026-12-08"


def test_last_general_collection_at_4_acacia_avenue_has_crew_note(backoffice):
    for now in ("2026-12-21T09:00:00", "2027-03-02T18:00:00"):
        pin(backoffice, now)
        last = services(backoffice, ACACIA_4)["general"]["last"]
        assert (last["outcome"], last["note"]) == ("not_collected", "bin not presented")
    assert services(backoffice, ACACIA_4)["food"]["last"]["outcome"] == "collected"


def test_collections_of_unknown_uprn_is_404(backoffice):
    response = backoffice.get("/waste/collections/999999999999")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "unknown_uprn"


def test_collections_of_malformed_uprn_is_422(backoffice):
    response = backoffice.get("/waste/collections/12345")
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "validation_error"


def test_waste_routes_need_the_service_token(backoffice_app):
    with TestClient(backoffice_app) as anonymous:
        assert anonymous.get(f"/waste/collections/{ACACIA_1}").status_code == 401


def test_every_waste_capability_is_in_the_openapi_document(backoffice):
    paths = backoffice.get("/openapi.json").json()["paths"]
    for path in ("/waste/collections/{uprn}", "/waste/missed-bins",
                 "/waste/missed-bins/eligibility", "/waste/bulky/items", "/waste/bulky/slots",
                 "/waste/bulky/bookings", "/waste/bulky/quote", "/waste/containers/options",
                 "/waste/container-requests", "/waste/items/search"):
        assert path in paths
        assert all(op["tags"] == ["waste"] for op in paths[path].values())


# -- Missed bins ------------------------------------------------------------------------------

def eligibility(client: TestClient, uprn: str, service: str) -> dict:
    response = client.get("/waste/missed-bins/eligibility",
                          params={"uprn": uprn, "service": service})
    assert response.status_code == 200
    return response.json()


def report(client: TestClient, uprn: str, service: str, **headers: str):
    return client.post("/waste/missed-bins", json={"uprn": uprn, "service": service},
                       headers=headers)


def test_missed_bin_too_early_before_crews_finish(backoffice):
    pin(backoffice, "2026-12-08T11:00:00")
    check = eligibility(backoffice, ACACIA_1, "food")
    assert (check["eligible"], check["code"]) == (False, "too_early")
    assert check["window_opens"] == "2026-12-08T16:00:00"
    response = report(backoffice, ACACIA_1, "food")
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "too_early"


@pytest.mark.parametrize("now", ["2026-12-08T16:00:00", "2026-12-09T23:00:00"])
def test_missed_bin_accepted_from_four_to_end_of_next_working_day(backoffice, now):
    pin(backoffice, now)
    assert eligibility(backoffice, ACACIA_1, "food")["eligible"] is True
    response = report(backoffice, ACACIA_1, "food")
    assert response.status_code == 201
    body = response.json()
    assert body["reference"].startswith("MB-") and len(body["reference"]) == 9
    assert body["collection_date"] == "2026-12-08"
    assert body["created"] is True
    assert backoffice.get(f"/waste/missed-bins/{body['reference']}").json()["uprn"] == ACACIA_1


def test_missed_bin_collected_within_two_working_days(backoffice):
    pin(backoffice, "2026-12-11T17:00:00")  # Friday, after a Thursday round at the flats
    body = report(backoffice, BEECH_FLAT_1, "communal_recycling").json()
    assert body["collect_by"] == "2026-12-15"


def test_missed_bin_too_late_after_next_working_day(backoffice):
    pin(backoffice, "2026-12-10T00:00:01")
    assert eligibility(backoffice, ACACIA_1, "food")["code"] == "too_late"
    response = report(backoffice, ACACIA_1, "food")
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "too_late"


def test_missed_bin_window_stretches_over_bank_holidays(backoffice):
    # Thursday 24 December's round: the next working day is Tuesday 29th.
    pin(backoffice, "2026-12-28T12:00:00")
    check = eligibility(backoffice, BEECH_FLAT_1, "communal_general")
    assert (check["code"], check["window_closes"]) == ("eligible", "2026-12-29T23:59:59")


def test_missed_bin_refused_when_crew_logged_not_presented(backoffice):
    pin(backoffice, "2026-12-16T10:00:00")
    check = eligibility(backoffice, ACACIA_4, "general")
    assert (check["code"], check["reason"]) == ("crew_reported", "bin not presented")
    response = report(backoffice, ACACIA_4, "general")
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "crew_reported"
    assert response.json()["error"]["reason"] == "bin not presented"


def test_duplicate_missed_bin_report_returns_existing_reference(backoffice):
    pin(backoffice, "2026-12-08T17:00:00")
    first = report(backoffice, ACACIA_1, "food")
    second = report(backoffice, ACACIA_1, "food")
    assert (first.status_code, second.status_code) == (201, 200)
    assert second.json()["reference"] == first.json()["reference"]
    assert second.json()["created"] is False
    check = eligibility(backoffice, ACACIA_1, "food")
    assert (check["code"], check["existing_reference"]) == (
        "already_reported", first.json()["reference"])


def test_missed_bin_report_is_idempotent_with_same_key(backoffice):
    pin(backoffice, "2026-12-08T17:00:00")
    first = report(backoffice, ACACIA_2, "food", **{"Idempotency-Key": "k1"})
    replay = report(backoffice, ACACIA_2, "food", **{"Idempotency-Key": "k1"})
    assert (first.status_code, replay.status_code) == (201, 201)
    assert replay.headers["Idempotent-Replayed"] == "true"
    assert replay.json() == first.json()
    reused = report(backoffice, ACACIA_2, "recycling", **{"Idempotency-Key": "k1"})
    assert reused.status_code == 422
    assert reused.json()["error"]["code"] == "idempotency_key_reused"


def test_missed_bin_for_service_the_property_does_not_get_is_422(backoffice):
    pin(backoffice, "2026-12-12T10:00:00")
    response = report(backoffice, CHURCH_12, "garden")
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "service_not_provided"
    assert response.json()["error"]["offered"] == ["general", "recycling", "food"]


@pytest.mark.parametrize("body", [
    {"uprn": "12", "service": "food"},
    {"uprn": ACACIA_1, "service": "purple"},
    {"service": "food"},
])
def test_malformed_missed_bin_report_is_422_and_writes_nothing(backoffice, body):
    pin(backoffice, "2026-12-08T17:00:00")
    response = backoffice.post("/waste/missed-bins", json=body)
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "validation_error"
    assert eligibility(backoffice, ACACIA_1, "food")["code"] == "eligible"


def test_missed_bin_at_unknown_property_is_404(backoffice):
    response = report(backoffice, "999999999999", "food")
    assert response.status_code == 404


# -- The A-Z ----------------------------------------------------------------------------------

def search(client: TestClient, q: str) -> dict:
    response = client.get("/waste/items/search", params={"q": q})
    assert response.status_code == 200
    return response.json()


def test_a_to_z_holds_at_least_80_items_with_a_bin_and_advice(backoffice):
    items = backoffice.get("/waste/items").json()["items"]
    assert len(items) >= 80
    assert all(i["bin"] and i["advice"] for i in items)
    food = backoffice.get("/waste/items", params={"bin": "food"}).json()["items"]
    assert food and all(i["bin"] == "food" for i in food)


@pytest.mark.parametrize("query, name, bin_", [
    ("Pizza Box", "pizza box", "recycling"),
    ("my old pizza boxes", "pizza box", "recycling"),
    ("settee", "sofa", "bulky"),
    ("teabags", "tea bags", "food"),
    ("batteries", "batteries", "hwrc"),
])
def test_search_matches_names_aliases_and_plurals(backoffice, query, name, bin_):
    found = search(backoffice, query)
    assert found["match"]["name"] == name
    assert found["match"]["bin"] == bin_


def test_search_with_a_typo_offers_nearest_items_without_a_match(backoffice):
    found = search(backoffice, "piza box")
    assert found["match"] is None
    assert found["suggestions"][0]["name"] == "pizza box"
    assert len({s["name"] for s in found["suggestions"]}) == len(found["suggestions"])


def test_search_for_nonsense_offers_nothing(backoffice):
    assert search(backoffice, "qqxzv") == {"query": "qqxzv", "match": None, "suggestions": []}


@pytest.mark.parametrize("params", [{"q": "a"}, {}, {"q": "x" * 81}])
def test_search_with_bad_query_is_422(backoffice, params):
    assert backoffice.get("/waste/items/search", params=params).status_code == 422


def test_listing_items_for_unknown_bin_is_422(backoffice):
    assert backoffice.get("/waste/items", params={"bin": "purple"}).status_code == 422
