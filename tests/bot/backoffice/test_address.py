"""Address lookup, auth, fault switches and the pinned clock of the stub back office."""

from __future__ import annotations

from fastapi.testclient import TestClient


def test_postcode_lookup_normalises_and_lists_the_demo_addresses(backoffice):
    body = backoffice.get("/addresses", params={"postcode": " an1 2bb "}).json()
    assert body["postcode"] == "AN1 2BB"
    assert [a["line1"] for a in body["addresses"]] == [
        f"Flat {n}, Beech Court, High Street" for n in range(1, 7)
    ]
    assert {a["collection_type"] for a in body["addresses"]} == {"communal"}


def test_church_lane_is_in_northfield_ward(backoffice):
    body = backoffice.get("/addresses", params={"postcode": "AN2 3CC"}).json()
    assert [(a["uprn"], a["ward"]) for a in body["addresses"]] == [
        ("100000000310", "Northfield"), ("100000000312", "Northfield")]


def test_unknown_postcode_is_an_empty_list(backoffice):
    response = backoffice.get("/addresses", params={"postcode": "ZZ9 9ZZ"})
    assert response.status_code == 200
    assert response.json() == {"postcode": "ZZ9 9ZZ", "addresses": []}


def test_malformed_postcode_is_a_422_with_a_clear_message(backoffice):
    response = backoffice.get("/addresses", params={"postcode": "12345"})
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid_postcode"
    assert "12345" in response.json()["error"]["message"]


def test_missing_postcode_is_a_validation_error(backoffice):
    response = backoffice.get("/addresses")
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "validation_error"


def test_address_by_uprn_and_unknown_uprn(backoffice):
    assert backoffice.get("/addresses/100000000104").json()["line1"] == "4 Acacia Avenue"
    missing = backoffice.get("/addresses/100000000999")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "unknown_uprn"


def test_every_service_route_needs_the_token(backoffice_app):
    with TestClient(backoffice_app) as anonymous:
        assert anonymous.get("/addresses", params={"postcode": "AN1 1AA"}).status_code == 401
        assert anonymous.put("/_admin/faults", json={"outage": True}).status_code == 401
        wrong = {"Authorization": "Bearer nope"}
        assert anonymous.get("/addresses/100000000101", headers=wrong).status_code == 401
        assert anonymous.get("/health").json() == {"status": "ok"}


def test_test_switches_exist_only_when_the_test_setting_turns_them_on(tmp_path):
    from bot.backoffice.app import create_app
    from tests.conftest import AUTH, backoffice_settings

    settings = backoffice_settings(tmp_path).copy(update={"backoffice_test_switches": False})
    with TestClient(create_app(settings), headers=AUTH) as client:
        assert client.put("/_admin/faults", json={"outage": True}).status_code == 404
        assert client.put("/_admin/clock", json={"now": None}).status_code == 404
        assert "/_admin/faults" not in client.get("/openapi.json").json()["paths"]
        assert client.get("/addresses", params={"postcode": "AN1 1AA"}).status_code == 200


def test_a_body_over_the_limit_is_refused_before_it_is_read(backoffice):
    response = backoffice.post("/rough-sleeping/reports", content=b"x" * 70_000,
                               headers={"Content-Type": "application/json"})
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "too_large"


def test_openapi_documents_the_address_lookup(backoffice):
    assert "/addresses" in backoffice.get("/openapi.json").json()["paths"]


def test_outage_switch_fails_calls_until_cleared(backoffice):
    backoffice.put("/_admin/faults", json={"outage": True})
    assert backoffice.get("/addresses", params={"postcode": "AN1 1AA"}).status_code == 503
    backoffice.put("/_admin/faults", json={})
    assert backoffice.get("/addresses", params={"postcode": "AN1 1AA"}).status_code == 200


def test_invalid_fault_settings_are_refused(backoffice):
    response = backoffice.put("/_admin/faults", json={"error_rate": 2})
    assert response.status_code == 422
    assert backoffice.get("/_admin/faults").json()["error_rate"] == 0.0


def test_clock_can_be_pinned_and_released(backoffice):
    pinned = backoffice.put("/_admin/clock", json={"now": "2026-12-25T09:30:00"}).json()
    assert pinned["now"] == "2026-12-25T09:30:00"
    released = backoffice.put("/_admin/clock", json={"now": None}).json()
    assert released["now"] != "2026-12-25T09:30:00"


def test_demo_council_is_seeded_once(tmp_path):
    from bot.backoffice.app import create_app
    from tests.conftest import backoffice_settings

    settings = backoffice_settings(tmp_path)
    create_app(settings)
    auth = {"Authorization": "Bearer test-backoffice-token"}
    with TestClient(create_app(settings), headers=auth) as c:
        assert len(c.get("/addresses", params={"postcode": "AN1 1AA"}).json()["addresses"]) == 4
