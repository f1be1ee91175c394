"""The stub waste system's bookings: bulky waste collections and container requests."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

ACACIA_1, ACACIA_2, ACACIA_3 = "100000000101", "100000000102", "100000000103"
BEECH_FLAT_1 = "100000000201"
CHURCH_10, CHURCH_12 = "100000000310", "100000000312"


@pytest.fixture(autouse=True)
def pinned(backoffice: TestClient) -> None:
    backoffice.put("/_admin/clock", json={"now": "2026-12-01T10:00:00"})  # a Tuesday


def slots(client: TestClient, uprn: str) -> dict[str, int]:
    response = client.get("/waste/bulky/slots", params={"uprn": uprn})
    assert response.status_code == 200
    return {s["date"]: s["remaining"] for s in response.json()["slots"]}


def book(client: TestClient, uprn: str, slot: str, items: list[dict], **headers: str):
    return client.post("/waste/bulky/bookings", headers=headers,
                       json={"uprn": uprn, "slot_date": slot, "items": items})


# -- Bulky waste ------------------------------------------------------------------------------

def test_bulky_price_list_has_items_pricing_and_items_not_taken(backoffice):
    body = backoffice.get("/waste/bulky/items").json()
    names = {i["name"] for i in body["items"]}
    assert {"sofa", "armchair", "fridge", "mattress", "wardrobe", "washing machine",
            "bed frame", "table", "chair"} <= names
    assert body["pricing"] == {"base_charge_pence": 3000, "base_items": 3,
                               "extra_item_pence": 1000, "max_items": 10}
    refused = {i["name"]: i["advice"] for i in body["not_accepted"]}
    assert "HWRC" in refused["paint"] and "asbestos" in refused


@pytest.mark.parametrize("items, price", [
    ([{"item": "sofa"}], 3000),
    ([{"item": "sofa"}, {"item": "chairs", "quantity": 2}], 3000),
    ([{"item": "Settee"}, {"item": "chair", "quantity": 4}], 5000),
    ([{"item": "fridge freezer"}], 4500),
])
def test_bulky_quote_prices_first_three_items_together_then_each_extra(backoffice, items,
                                                                        price):
    response = backoffice.post("/waste/bulky/quote", json={"items": items})
    assert response.status_code == 200
    assert response.json()["price_pence"] == price


def test_bulky_quote_adds_repeated_items_together(backoffice):
    body = backoffice.post("/waste/bulky/quote", json={"items": [
        {"item": "chair"}, {"item": "dining chair", "quantity": 2}]}).json()
    assert body["items"] == [{"item": "chair", "quantity": 3}]


def test_bulky_item_not_taken_is_refused_with_advice(backoffice):
    response = backoffice.post("/waste/bulky/quote", json={"items": [{"item": "rubble"}]})
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "item_not_accepted"
    assert "skip" in error["advice"]


def test_unknown_bulky_item_is_refused_with_suggestions(backoffice):
    response = backoffice.post("/waste/bulky/quote", json={"items": [{"item": "wardrob"}]})
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "unknown_item"
    assert response.json()["error"]["suggestions"] == ["wardrobe"]


def test_more_than_ten_bulky_items_is_refused(backoffice):
    response = backoffice.post("/waste/bulky/quote", json={"items": [
        {"item": "chair", "quantity": 6}, {"item": "table", "quantity": 5}]})
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "too_many_items"


def test_bulky_slots_are_on_the_round_day_after_notice(backoffice):
    got = slots(backoffice, ACACIA_1)
    assert list(got)[:2] == ["2026-12-08", "2026-12-15"]
    assert len(got) == 6
    assert all(v == 3 for v in got.values())
    assert min(slots(backoffice, CHURCH_10)) == "2026-12-04"


def test_bulky_slots_skip_bank_holidays(backoffice):
    backoffice.put("/_admin/clock", json={"now": "2026-12-14T10:00:00"})
    assert "2026-12-25" not in slots(backoffice, CHURCH_10)


def test_bulky_booking_gives_reference_price_and_takes_a_place(backoffice):
    response = book(backoffice, ACACIA_1, "2026-12-08",
                    [{"item": "sofa"}, {"item": "chair", "quantity": 2}, {"item": "fridge"}])
    assert response.status_code == 201
    body = response.json()
    assert body["reference"].startswith("BW-") and len(body["reference"]) == 9
    assert body["price_pence"] == 5500
    assert slots(backoffice, ACACIA_1)["2026-12-08"] == 2
    fetched = backoffice.get(f"/waste/bulky/bookings/{body['reference']}").json()
    assert fetched == body


def test_bulky_booking_on_a_full_slot_is_409(backoffice):
    for uprn in (ACACIA_1, ACACIA_2, ACACIA_3):
        assert book(backoffice, uprn, "2026-12-08", [{"item": "sofa"}]).status_code == 201
    response = book(backoffice, "100000000104", "2026-12-08", [{"item": "sofa"}])
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "slot_full"
    assert "2026-12-15" in response.json()["error"]["available"]
    assert slots(backoffice, ACACIA_1)["2026-12-08"] == 0


def test_bulky_booking_on_a_date_not_offered_is_422(backoffice):
    response = book(backoffice, ACACIA_1, "2026-12-09", [{"item": "sofa"}])
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid_slot"


@pytest.mark.parametrize("body", [
    {"uprn": ACACIA_1, "slot_date": "2026-12-08", "items": []},
    {"uprn": ACACIA_1, "slot_date": "2026-12-08", "items": [{"item": "sofa", "quantity": 0}]},
    {"uprn": ACACIA_1, "slot_date": "someday", "items": [{"item": "sofa"}]},
    {"uprn": "1", "slot_date": "2026-12-08", "items": [{"item": "sofa"}]},
    {"uprn": ACACIA_1, "slot_date": "2026-12-08", "items": [{"item": "paint"}]},
])
def test_bad_bulky_booking_is_422_and_takes_no_place(backoffice, body):
    response = backoffice.post("/waste/bulky/bookings", json=body)
    assert response.status_code == 422
    assert slots(backoffice, ACACIA_1)["2026-12-08"] == 3


def test_bulky_booking_retried_with_same_key_books_once(backoffice):
    first = book(backoffice, ACACIA_1, "2026-12-08", [{"item": "sofa"}],
                 **{"Idempotency-Key": "bulky-1"})
    again = book(backoffice, ACACIA_1, "2026-12-08", [{"item": "sofa"}],
                 **{"Idempotency-Key": "bulky-1"})
    assert again.json()["reference"] == first.json()["reference"]
    assert slots(backoffice, ACACIA_1)["2026-12-08"] == 2


def test_unknown_bulky_booking_is_404(backoffice):
    assert backoffice.get("/waste/bulky/bookings/BW-000000").status_code == 404


# -- Containers -------------------------------------------------------------------------------

def request(client: TestClient, **body):
    headers = {"Idempotency-Key": body.pop("key")} if "key" in body else {}
    return client.post("/waste/container-requests", json=body, headers=headers)


def test_container_options_show_charges_and_what_this_property_may_ask(backoffice):
    body = backoffice.get("/waste/containers/options", params={"uprn": ACACIA_1}).json()
    by = {(c["container"], r["reason"]): r for c in body["containers"] for r in c["reasons"]}
    assert by[("general", "new")]["charge_pence"] == 3500
    assert by[("recycling", "extra")]["charge_pence"] == 0
    assert by[("garden", "new")]["available"] is False
    assert "subscription" in by[("garden", "new")]["note"]


@pytest.mark.parametrize("body, charge", [
    ({"container": "general", "reason": "stolen"}, 2500),
    ({"container": "general", "reason": "damaged", "damaged_by_crew": True}, 0),
    ({"container": "general", "reason": "new"}, 3500),
    ({"container": "recycling", "reason": "extra"}, 0),
    ({"container": "food", "reason": "replacement"}, 0),
    ({"container": "general", "reason": "extra", "household_size": 7}, 3500),
])
def test_container_request_charges(backoffice, body, charge):
    response = request(backoffice, uprn=ACACIA_1, **body)
    assert response.status_code == 201
    created = response.json()
    assert created["charge_pence"] == charge
    assert created["reference"].startswith("CR-") and len(created["reference"]) == 9
    assert created["deliver_by"] == "2026-12-15"


def test_garden_bin_for_subscriber_comes_with_subscription(backoffice):
    response = request(backoffice, uprn=CHURCH_10, container="garden", reason="damaged")
    assert (response.status_code, response.json()["charge_pence"]) == (201, 2500)


@pytest.mark.parametrize("uprn, body, code", [
    (CHURCH_12, {"container": "garden", "reason": "new"}, "not_subscribed"),
    (BEECH_FLAT_1, {"container": "general", "reason": "damaged"}, "communal_property"),
    (ACACIA_1, {"container": "general", "reason": "extra", "household_size": 3},
     "not_eligible"),
])
def test_container_request_refused_by_the_rules(backoffice, uprn, body, code):
    response = request(backoffice, uprn=uprn, **body)
    assert response.status_code == 422
    assert response.json()["error"]["code"] == code


def test_second_open_request_for_same_container_is_409_with_reference(backoffice):
    first = request(backoffice, uprn=ACACIA_1, container="food", reason="stolen").json()
    again = request(backoffice, uprn=ACACIA_1, container="food", reason="stolen")
    assert again.status_code == 409
    assert again.json()["error"]["reference"] == first["reference"]


def test_container_request_retried_with_same_key_is_replayed(backoffice):
    first = request(backoffice, uprn=ACACIA_1, container="food", reason="new", key="cr-1")
    again = request(backoffice, uprn=ACACIA_1, container="food", reason="new", key="cr-1")
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json()


@pytest.mark.parametrize("body", [
    {"uprn": ACACIA_1, "container": "skip", "reason": "new"},
    {"uprn": ACACIA_1, "container": "food", "reason": "lost it"},
    {"uprn": ACACIA_1, "container": "general", "reason": "extra", "household_size": 0},
    {"uprn": "abc", "container": "food", "reason": "new"},
])
def test_malformed_container_request_is_422_and_writes_nothing(backoffice, body):
    assert backoffice.post("/waste/container-requests", json=body).status_code == 422
    retry = request(backoffice, uprn=ACACIA_1, container="food", reason="new")
    assert retry.status_code == 201


def test_container_options_for_unknown_property_is_404(backoffice):
    response = backoffice.get("/waste/containers/options", params={"uprn": "999999999999"})
    assert response.status_code == 404
