"""The stub council tax system's writes: instalments, Direct Debit, discounts, moves."""

from __future__ import annotations

from decimal import Decimal
from typing import get_args

import pytest

from bot.backoffice.routes.council_tax_changes import InstalmentPlanIn
from bot.backoffice.services.council_tax_billing import INSTALMENT_OPTIONS
from tests.bot.backoffice.test_council_tax import (
    ALEX,
    JO,
    SAM,
    pin,
    requests_stored,
    summary,
    verify,
)

NOW = "2026-12-01T17:00:00"


def url(account, tail: str) -> str:
    return f"/council-tax/accounts/{account[0]}/{tail}"


def code(response) -> str:
    return response.json()["error"]["code"]


@pytest.fixture
def client(backoffice):
    pin(backoffice, NOW)
    return backoffice


# --- instalments --------------------------------------------------------------------------

def test_switching_to_twelve_instalments_spreads_the_rest_of_the_year_to_march(client):
    headers = verify(client, SAM)
    before = summary(client, SAM, headers)
    response = client.put(url(SAM, "instalment-plan"), json={"instalments": 12}, headers=headers)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["effective_from"] == "2026-12-15"
    assert [i["due_date"] for i in body["schedule"]][-3:] == [
        "2027-01-01", "2027-02-01", "2027-03-01"]
    assert sum(Decimal(i["amount"]) for i in body["schedule"]) == \
        Decimal(before["amount_payable"])
    # The missed instalments stay owed: a new plan does not wipe arrears.
    assert summary(client, SAM, headers)["arrears"] == before["arrears"]
    assert summary(client, SAM, headers)["payment_method"]["instalments"] == 12


def test_switching_to_the_plan_already_in_place_is_refused(client):
    response = client.put(url(ALEX, "instalment-plan"), json={"instalments": 10},
                          headers=verify(client, ALEX))
    assert response.status_code == 409 and code(response) == "no_change"


def test_an_exempt_account_has_no_instalments_to_change(client):
    response = client.put(url(JO, "instalment-plan"), json={"instalments": 12},
                          headers=verify(client, JO))
    assert response.status_code == 409 and code(response) == "nothing_to_pay"


def test_instalments_other_than_ten_or_twelve_are_invalid(client):
    response = client.put(url(ALEX, "instalment-plan"), json={"instalments": 11},
                          headers=verify(client, ALEX))
    assert response.status_code == 422 and code(response) == "validation_error"


def test_the_instalment_plan_accepts_exactly_the_billing_instalment_options():
    accepted = get_args(InstalmentPlanIn.__fields__["instalments"].outer_type_)
    assert accepted == INSTALMENT_OPTIONS


# --- Direct Debit -------------------------------------------------------------------------

def test_direct_debit_set_up_masks_the_bank_account_and_sets_the_day(client):
    headers = verify(client, SAM)
    response = client.post(url(SAM, "direct-debit"), headers=headers, json={
        "account_holder": "Sam Sample", "sort_code": "12-34-56",
        "bank_account_number": "87654321", "payment_day": 15})
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["payment_method"] == "Direct Debit from account ending 4321"
    assert "87654321" not in response.text
    # December's instalment fell due today, so 14 days' notice reaches January.
    assert body["first_collection"]["due_date"] == "2027-01-15"
    assert summary(client, SAM, headers)["payment_method"]["kind"] == "direct_debit"


@pytest.mark.parametrize(("change", "expected"), [
    ({"payment_day": 2}, "invalid_payment_day"),
    ({"sort_code": "12345"}, "invalid_sort_code"),
    ({"bank_account_number": "1234"}, "invalid_bank_account_number"),
])
def test_direct_debit_with_bad_details_is_refused_and_changes_nothing(client, change, expected):
    headers = verify(client, SAM)
    body = {"account_holder": "Sam Sample", "sort_code": "123456",
            "bank_account_number": "87654321", "payment_day": 1, **change}
    response = client.post(url(SAM, "direct-debit"), headers=headers, json=body)
    assert response.status_code == 422 and code(response) == expected
    assert summary(client, SAM, headers)["payment_method"]["kind"] == "online"


def test_a_second_direct_debit_is_refused(client):
    response = client.post(url(ALEX, "direct-debit"), headers=verify(client, ALEX), json={
        "account_holder": "Alex Example", "sort_code": "123456",
        "bank_account_number": "11112222", "payment_day": 8})
    assert response.status_code == 409 and code(response) == "direct_debit_exists"


def test_payment_day_change_moves_later_instalments_to_the_new_day(client):
    headers = verify(client, ALEX)
    response = client.put(url(ALEX, "direct-debit/payment-day"), json={"payment_day": 23},
                          headers=headers)
    assert response.status_code == 200, response.text
    dates = [i["due_date"] for i in response.json()["schedule"]]
    assert dates[-2:] == ["2026-12-01", "2027-01-23"]  # December's was taken today
    assert summary(client, ALEX, headers)["payment_method"]["payment_day"] == 23


@pytest.mark.parametrize("day", [0, 2, 31])
def test_payment_days_other_than_1_8_15_23_are_refused(client, day):
    response = client.put(url(ALEX, "direct-debit/payment-day"), json={"payment_day": day},
                          headers=verify(client, ALEX))
    assert response.status_code == 422 and code(response) == "invalid_payment_day"


def test_payment_day_change_needs_a_direct_debit(client):
    response = client.put(url(SAM, "direct-debit/payment-day"), json={"payment_day": 8},
                          headers=verify(client, SAM))
    assert response.status_code == 409 and code(response) == "no_direct_debit"


# --- discounts and exemptions -------------------------------------------------------------

def test_single_person_discount_application_gets_a_reference_and_evidence_list(client):
    response = client.post(url(ALEX, "single-person-discount"), headers=verify(client, ALEX),
                           json={"applies_from": "2026-11-01", "adults_in_property": 1})
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["reference"].startswith("CTD-") and len(body["reference"]) == 10
    assert body["applies_from"] == "2026-11-01" and body["evidence_required"]


@pytest.mark.parametrize(("account", "body", "status", "expected"), [
    (SAM, {"applies_from": "2026-11-01", "adults_in_property": 1}, 409, "already_receiving"),
    (ALEX, {"applies_from": "2026-11-01", "adults_in_property": 2}, 409, "not_eligible"),
    (ALEX, {"applies_from": "2025-11-30", "adults_in_property": 1}, 422, "date_too_far_past"),
    (ALEX, {"applies_from": "2027-03-02", "adults_in_property": 1}, 422, "date_too_far_future"),
    (ALEX, {"applies_from": "2026-02-30", "adults_in_property": 1}, 422, "validation_error"),
    (ALEX, {"adults_in_property": 1}, 422, "validation_error"),
])
def test_single_person_discount_refusals_store_nothing(
    client, backoffice_app, account, body, status, expected
):
    response = client.post(url(account, "single-person-discount"),
                           headers=verify(client, account), json=body)
    assert response.status_code == status and code(response) == expected
    assert requests_stored(backoffice_app) == 0


def test_student_exemption_application_gets_a_reference(client):
    response = client.post(url(ALEX, "student-exemption"), headers=verify(client, ALEX), json={
        "applies_from": "2026-09-20", "course_end": "2029-06-30",
        "institution": "Anytown University", "all_residents_students": True})
    assert response.status_code == 201, response.text
    assert response.json()["reference"].startswith("CTE-")
    assert "student certificate" in response.json()["evidence_required"][0]


@pytest.mark.parametrize(("account", "change", "status", "expected"), [
    (JO, {}, 409, "already_exempt"),
    (ALEX, {"all_residents_students": False}, 409, "not_eligible"),
    (ALEX, {"course_end": "2026-09-01"}, 422, "invalid_course_end"),
    (ALEX, {"applies_from": "not a date"}, 422, "validation_error"),
])
def test_student_exemption_refusals(client, backoffice_app, account, change, status, expected):
    body = {"applies_from": "2026-09-20", "course_end": "2029-06-30",
            "institution": "Anytown University", "all_residents_students": True, **change}
    response = client.post(url(account, "student-exemption"), headers=verify(client, account),
                           json=body)
    assert response.status_code == status and code(response) == expected
    assert requests_stored(backoffice_app) == 0


# --- moving -------------------------------------------------------------------------------

def test_moving_out_with_a_forwarding_address_gets_a_reference(client):
    response = client.post(url(ALEX, "moves"), headers=verify(client, ALEX), json={
        "kind": "out", "move_date": "2026-12-18", "forwarding_address": "5 Sea View, Bournemouth"})
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["reference"].startswith("CTM-") and body["kind"] == "move_out"
    assert "by the day" in body["charged_by_the_day"]


def test_moving_within_anytown_needs_a_known_different_property(client, backoffice_app):
    headers = verify(client, ALEX)
    ok = client.post(url(ALEX, "moves"), headers=headers, json={
        "kind": "within", "move_date": "2026-12-18", "new_uprn": "100000000312"})
    assert ok.status_code == 201 and ok.json()["kind"] == "move_within"
    unknown = client.post(url(ALEX, "moves"), headers=headers, json={
        "kind": "within", "move_date": "2026-12-18", "new_uprn": "999999999999"})
    same = client.post(url(ALEX, "moves"), headers=headers, json={
        "kind": "within", "move_date": "2026-12-18", "new_uprn": "100000000101"})
    assert (code(unknown), code(same)) == ("unknown_uprn", "same_address")
    assert requests_stored(backoffice_app) == 1


@pytest.mark.parametrize(("body", "expected"), [
    ({"kind": "out", "move_date": "2026-12-18"}, "forwarding_address_required"),
    ({"kind": "out", "move_date": "2027-06-01", "forwarding_address": "x"}, "date_too_far_future"),
    ({"kind": "sideways", "move_date": "2026-12-18"}, "validation_error"),
    ({"kind": "out", "move_date": "18/12/2026", "forwarding_address": "x"}, "validation_error"),
])
def test_move_notification_refusals(client, body, expected):
    response = client.post(url(ALEX, "moves"), headers=verify(client, ALEX), json=body)
    assert response.status_code == 422 and code(response) == expected


def test_moving_in_needs_no_verification(client):
    response = client.post("/council-tax/moves-in", json={
        "uprn": "100000000102", "full_name": "Pat Newcomer", "move_date": "2026-12-05"})
    assert response.status_code == 201 and response.json()["kind"] == "move_in"


# --- protection and idempotency -----------------------------------------------------------

@pytest.mark.parametrize(("method", "tail", "body"), [
    ("put", "instalment-plan", {"instalments": 12}),
    ("put", "direct-debit/payment-day", {"payment_day": 8}),
    ("post", "single-person-discount", {"applies_from": "2026-11-01", "adults_in_property": 1}),
    ("post", "moves", {"kind": "out", "move_date": "2026-12-18", "forwarding_address": "x"}),
])
def test_writes_to_an_account_need_its_verification(client, backoffice_app, method, tail, body):
    response = client.request(method.upper(), url(ALEX, tail), json=body,
                              headers={"X-Verification-Token": "not-a-real-token"})
    assert response.status_code == 422 and code(response) == "verification_required"
    assert requests_stored(backoffice_app) == 0
    assert summary(client, ALEX)["payment_method"] == {
        "kind": "direct_debit", "description": "Direct Debit from account ending 1234",
        "instalments": 10, "payment_day": 1}


def test_a_retried_application_with_the_same_key_is_replayed_not_repeated(client, backoffice_app):
    headers = {**verify(client, ALEX), "Idempotency-Key": "spd-retry-1"}
    body = {"applies_from": "2026-11-01", "adults_in_property": 1}
    first = client.post(url(ALEX, "single-person-discount"), headers=headers, json=body)
    second = client.post(url(ALEX, "single-person-discount"), headers=headers, json=body)
    assert first.status_code == second.status_code == 201
    assert second.json()["reference"] == first.json()["reference"]
    assert second.headers["Idempotent-Replayed"] == "true"
    assert requests_stored(backoffice_app) == 1
    reused = client.post(url(ALEX, "single-person-discount"), headers=headers,
                         json={**body, "applies_from": "2026-10-01"})
    assert reused.status_code == 422 and code(reused) == "idempotency_key_reused"


def test_a_retried_instalment_switch_is_replayed(client):
    headers = {**verify(client, SAM), "Idempotency-Key": "twelve-1"}
    first = client.put(url(SAM, "instalment-plan"), json={"instalments": 12}, headers=headers)
    second = client.put(url(SAM, "instalment-plan"), json={"instalments": 12}, headers=headers)
    assert first.status_code == second.status_code == 200  # not 409 no_change
    assert second.json() == first.json()
