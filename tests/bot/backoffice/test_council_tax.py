"""The stub council tax system over HTTP: verification, summaries, bands and changes."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import pytest
from sqlalchemy import func, select

from bot.backoffice.models import CouncilTaxRequest, VerificationToken
from bot.db import session_scope

ALEX = ("500000001", "Example", "AN1 1AA")
SAM = ("500000002", "Sample", "AN2 3CC")
JO = ("500000003", "Student", "AN1 2BB")
TOKEN_HEADER = "X-Verification-Token"


def pin(client, now: str) -> None:
    assert client.put("/_admin/clock", json={"now": now}).status_code == 200


def verify(client, account=ALEX) -> dict[str, str]:
    number, surname, postcode = account
    response = client.post("/council-tax/verifications",
                           json={"account_number": number, "surname": surname,
                                 "postcode": postcode})
    assert response.status_code == 201, response.text
    return {TOKEN_HEADER: response.json()["token"]}


def summary(client, account=ALEX, headers=None) -> dict:
    response = client.get(f"/council-tax/accounts/{account[0]}",
                          headers=headers or verify(client, account))
    assert response.status_code == 200, response.text
    return response.json()


def requests_stored(app) -> int:
    with session_scope(app.state.session_factory) as session:
        return session.scalar(select(func.count()).select_from(CouncilTaxRequest))


# --- seed data per docs/contract.md section 3 ----------------------------------------------

def test_alex_pays_ten_instalments_by_direct_debit_on_the_first_and_is_up_to_date(backoffice):
    pin(backoffice, "2026-12-01T17:00:00")
    body = summary(backoffice, ALEX)
    assert body["liable_person"] == "Alex Example"
    assert body["property"]["label"] == "1 Acacia Avenue, Anytown, AN1 1AA"
    assert body["band"] == "C"
    assert body["financial_year"] == "2026/27"
    assert len(body["instalments"]) == 10
    assert {i["due_date"][8:] for i in body["instalments"]} == {"01"}
    assert body["instalments"][-1]["due_date"] == "2027-01-01"
    assert [i["status"] for i in body["instalments"]] == ["paid"] * 9 + ["upcoming"]
    assert body["arrears"] == "0.00"
    assert body["payment_method"]["description"] == "Direct Debit from account ending 1234"
    assert body["recovery_stage"]["code"] == "none"
    assert body["next_instalment"]["due_date"] == "2027-01-01"
    assert len(body["payments"]) == 9
    paid = sum(Decimal(p["amount"]) for p in body["payments"])
    assert Decimal(body["paid_this_year"]) == paid
    assert Decimal(body["balance"]) == Decimal(body["amount_payable"]) - paid


def test_sam_has_single_person_discount_two_missed_instalments_and_a_second_reminder(backoffice):
    pin(backoffice, "2026-12-01T17:00:00")
    body = summary(backoffice, SAM)
    assert body["liable_person"] == "Sam Sample"
    assert body["band"] == "E"
    assert body["discounts"][0]["kind"] == "single_person"
    gross, payable = Decimal(body["annual_charge"]), Decimal(body["amount_payable"])
    discount = Decimal(body["discounts"][0]["amount"])
    assert discount == (gross / 4).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    assert payable == gross - discount
    missed = [i for i in body["instalments"] if i["status"] == "missed"]
    assert [i["due_date"] for i in missed] == ["2026-11-01", "2026-12-01"]
    assert Decimal(body["arrears"]) == sum(Decimal(i["amount"]) for i in missed)
    assert body["recovery_stage"]["code"] == "second_reminder"
    assert "reminder" in body["recovery_stage"]["description"]


def test_sam_still_has_two_missed_instalments_in_april_counting_last_years(backoffice):
    pin(backoffice, "2026-04-10T09:00:00")
    body = summary(backoffice, SAM)
    assert [i["status"] for i in body["instalments"]][:2] == ["missed", "upcoming"]
    this_year_missed = Decimal(body["instalments"][0]["amount"])
    assert Decimal(body["arrears"]) > this_year_missed  # January's instalment is still owed
    assert Decimal(body["balance"]) == Decimal(body["amount_payable"]) + \
        Decimal(body["arrears"]) - this_year_missed


def test_jo_is_exempt_as_a_student_with_nothing_to_pay(backoffice):
    body = summary(backoffice, JO)
    assert body["liable_person"] == "Jo Student"
    assert body["band"] == "A"
    assert body["exemptions"][0]["exemption_class"] == "N"
    assert body["amount_payable"] == body["balance"] == body["arrears"] == "0.00"
    assert body["instalments"] == [] and body["next_instalment"] is None


def test_band_charges_follow_statutory_ratios_of_band_d(backoffice):
    pin(backoffice, "2025-11-10T12:00:00")
    body = backoffice.get("/council-tax/bands", params={"postcode": "an2 3cc"}).json()
    charges = {c["band"]: c["annual_charge"] for c in body["charges"]}
    assert body["financial_year"] == "2025/26"
    assert charges == {"A": "1400.00", "B": "1633.33", "C": "1866.67", "D": "2100.00",
                       "E": "2566.67", "F": "3033.33", "G": "3500.00", "H": "4200.00"}
    assert [(p["label"], p["band"]) for p in body["properties"]] == [
        ("10 Church Lane, Anytown, AN2 3CC", "E"), ("12 Church Lane, Anytown, AN2 3CC", "F")]


def test_band_lookup_refuses_a_malformed_postcode_and_is_empty_for_an_unknown_one(backoffice):
    bad = backoffice.get("/council-tax/bands", params={"postcode": "not a postcode"})
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "invalid_postcode"
    unknown = backoffice.get("/council-tax/bands", params={"postcode": "ZZ9 9ZZ"})
    assert unknown.status_code == 200 and unknown.json()["properties"] == []


def test_instalments_of_a_year_add_up_to_the_amount_payable(backoffice):
    for account in (ALEX, SAM):
        body = summary(backoffice, account)
        total = sum(Decimal(i["amount"]) for i in body["instalments"])
        assert total == Decimal(body["amount_payable"])


# --- verification -------------------------------------------------------------------------

def test_verification_tolerates_case_and_spaces(backoffice):
    response = backoffice.post("/council-tax/verifications", json={
        "account_number": "5000 0000 1", "surname": "  eXample ", "postcode": "an11aa"})
    assert response.status_code == 201
    assert response.json()["account_number"] == "500000001"


@pytest.mark.parametrize("wrong", [
    {"account_number": "500000009"}, {"account_number": "500000002"}, {"surname": "Sample"},
    {"postcode": "AN1 2BB"}, {"postcode": "nonsense"},
])
def test_verification_failure_never_says_which_detail_was_wrong(backoffice, wrong):
    good = {"account_number": "500000001", "surname": "Example", "postcode": "AN1 1AA"}
    response = backoffice.post("/council-tax/verifications", json={**good, **wrong})
    assert response.status_code == 422
    assert response.json() == {"error": {
        "code": "verification_failed", "message": "Those details do not match an account we hold."}}


def test_tokens_are_stored_only_as_hashes(backoffice, backoffice_app):
    token = verify(backoffice)[TOKEN_HEADER]
    with session_scope(backoffice_app.state.session_factory) as session:
        stored = session.scalars(select(VerificationToken.token_hash)).all()
    assert len(stored) == 1 and token not in stored[0] and len(token) >= 40


def test_account_is_refused_without_a_token_or_with_another_accounts_token(backoffice):
    missing = backoffice.get("/council-tax/accounts/500000001")
    assert missing.status_code == 422
    assert missing.json()["error"]["code"] == "verification_required"
    other = backoffice.get("/council-tax/accounts/500000001", headers=verify(backoffice, SAM))
    assert other.json()["error"]["code"] == "verification_required"
    forged = backoffice.get("/council-tax/accounts/500000001", headers={TOKEN_HEADER: "x" * 43})
    assert forged.json()["error"]["code"] == "verification_required"


def test_token_expires_after_fifteen_idle_minutes(backoffice):
    pin(backoffice, "2026-12-01T17:00:00")
    headers = verify(backoffice)
    pin(backoffice, "2026-12-01T17:14:00")
    summary(backoffice, ALEX, headers)  # use keeps it alive
    pin(backoffice, "2026-12-01T17:28:00")
    summary(backoffice, ALEX, headers)
    pin(backoffice, "2026-12-01T17:43:01")
    expired = backoffice.get("/council-tax/accounts/500000001", headers=headers)
    assert expired.status_code == 422
    assert expired.json()["error"]["code"] == "verification_expired"
    again = backoffice.get("/council-tax/accounts/500000001", headers=headers)
    assert again.json()["error"]["code"] == "verification_expired"  # a refusal revives nothing


def test_every_council_tax_operation_is_in_the_openapi_document(backoffice):
    paths = backoffice.get("/openapi.json").json()["paths"]
    operations = {(method, path) for path, item in paths.items() for method, op in item.items()
                  if "council_tax" in op.get("tags", [])}
    assert operations == {
        ("post", "/council-tax/verifications"), ("get", "/council-tax/bands"),
        ("get", "/council-tax/accounts/{account_number}"),
        ("put", "/council-tax/accounts/{account_number}/instalment-plan"),
        ("post", "/council-tax/accounts/{account_number}/direct-debit"),
        ("put", "/council-tax/accounts/{account_number}/direct-debit/payment-day"),
        ("post", "/council-tax/accounts/{account_number}/single-person-discount"),
        ("post", "/council-tax/accounts/{account_number}/student-exemption"),
        ("post", "/council-tax/accounts/{account_number}/moves"),
        ("post", "/council-tax/moves-in"),
    }


def test_council_tax_needs_the_service_token(backoffice_app):
    from fastapi.testclient import TestClient

    with TestClient(backoffice_app) as anonymous:
        response = anonymous.get("/council-tax/bands", params={"postcode": "AN1 1AA"})
    assert response.status_code == 401
