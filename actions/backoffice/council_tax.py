"""Client for the council tax system: verification, accounts, bands and residents' changes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from actions.backoffice._client import BackOfficeClient, new_idempotency_key

TOKEN_HEADER = "X-Verification-Token"
# Codes of the system's refusals that callers act on.
VERIFICATION_FAILED = "verification_failed"
# Too many failed verifications for the account number, from any conversation: every attempt
# is refused for a while, right details or not.
TOO_MANY_ATTEMPTS = "too_many_attempts"
VERIFICATION_LAPSED = frozenset({"verification_required", "verification_expired"})


@dataclass(frozen=True)
class Verification:
    token: str
    account_number: str
    expires_at: datetime


@dataclass(frozen=True)
class Instalment:
    due_date: date
    amount: Decimal
    status: str  # "paid", "missed" or "upcoming"


@dataclass(frozen=True)
class Payment:
    date: date
    amount: Decimal
    method: str


@dataclass(frozen=True)
class AccountSummary:
    account_number: str
    liable_person: str
    property_label: str
    financial_year: str
    band: str
    annual_charge: Decimal
    discounts: tuple[str, ...]
    exemptions: tuple[str, ...]
    amount_payable: Decimal
    paid_this_year: Decimal
    balance: Decimal
    arrears: Decimal
    instalments: tuple[Instalment, ...]
    next_instalment: Instalment | None
    payments: tuple[Payment, ...]
    payment_method: str  # already masked: "Direct Debit from account ending 1234"
    payment_method_kind: str  # "direct_debit", "online" or "none"
    instalment_count: int
    payment_day: int
    recovery_stage: str
    recovery_stage_description: str
    payment_reference: str
    payment_url: str


@dataclass(frozen=True)
class BandedProperty:
    uprn: str
    label: str
    band: str


@dataclass(frozen=True)
class BandLookup:
    postcode: str
    financial_year: str
    properties: tuple[BandedProperty, ...]
    charges: dict[str, Decimal]


@dataclass(frozen=True)
class InstalmentPlan:
    instalments: int
    effective_from: date
    schedule: tuple[Instalment, ...]


@dataclass(frozen=True)
class DirectDebit:
    payment_method: str
    payment_day: int
    effective_from: date
    first_collection: Instalment | None
    schedule: tuple[Instalment, ...]


@dataclass(frozen=True)
class Application:
    reference: str
    kind: str
    applies_from: date
    evidence_required: tuple[str, ...]
    decision_within_days: int


@dataclass(frozen=True)
class MoveNotification:
    reference: str
    kind: str
    move_date: date
    charged_by_the_day: str


class CouncilTaxClient(BackOfficeClient):
    """Operations of the council tax system. Account operations need a verification token."""

    def _verified(self, token: str, method: str, path: str, **kwargs: Any) -> Any:
        return self._request(method, path, headers={TOKEN_HEADER: token}, **kwargs)

    def verify(self, account_number: str, surname: str, postcode: str) -> Verification:
        """BackOfficeRejected(code="verification_failed") when any detail does not match, or
        (code="too_many_attempts", status 429) while the account number is locked out.

        Sent without an Idempotency-Key on purpose: a replayed response would have to store
        the token, and a failed verification is simply asked again.
        """
        body = self._request("POST", "/council-tax/verifications", json={
            "account_number": account_number, "surname": surname, "postcode": postcode})
        return Verification(body["token"], body["account_number"],
                            datetime.fromisoformat(body["expires_at"]))

    def get_account(self, account_number: str, token: str) -> AccountSummary:
        body = self._verified(token, "GET", f"/council-tax/accounts/{account_number}")
        return _summary(body)

    def find_bands(self, postcode: str) -> BandLookup:
        body = self._request("GET", "/council-tax/bands", params={"postcode": postcode})
        return BandLookup(
            postcode=body["postcode"], financial_year=body["financial_year"],
            properties=tuple(BandedProperty(p["uprn"], p["label"], p["band"])
                             for p in body["properties"]),
            charges={c["band"]: Decimal(c["annual_charge"]) for c in body["charges"]},
        )

    def change_instalments(self, account_number: str, token: str, instalments: int = 12,
                           idempotency_key: str | None = None) -> InstalmentPlan:
        body = self._verified(
            token, "PUT", f"/council-tax/accounts/{account_number}/instalment-plan",
            json={"instalments": instalments},
            idempotency_key=idempotency_key or new_idempotency_key())
        return InstalmentPlan(body["instalments"], date.fromisoformat(body["effective_from"]),
                              _instalments(body["schedule"]))

    def set_up_direct_debit(
        self, account_number: str, token: str, *, account_holder: str, sort_code: str,
        bank_account_number: str, payment_day: int, idempotency_key: str | None = None,
    ) -> DirectDebit:
        body = self._verified(
            token, "POST", f"/council-tax/accounts/{account_number}/direct-debit",
            json={"account_holder": account_holder, "sort_code": sort_code,
                  "bank_account_number": bank_account_number, "payment_day": payment_day},
            idempotency_key=idempotency_key or new_idempotency_key())
        return _direct_debit(body)

    def change_payment_day(self, account_number: str, token: str, payment_day: int,
                           idempotency_key: str | None = None) -> DirectDebit:
        body = self._verified(
            token, "PUT", f"/council-tax/accounts/{account_number}/direct-debit/payment-day",
            json={"payment_day": payment_day},
            idempotency_key=idempotency_key or new_idempotency_key())
        return _direct_debit(body)

    def apply_single_person_discount(
        self, account_number: str, token: str, *, applies_from: date, adults_in_property: int,
        idempotency_key: str | None = None,
    ) -> Application:
        body = self._verified(
            token, "POST", f"/council-tax/accounts/{account_number}/single-person-discount",
            json={"applies_from": applies_from.isoformat(),
                  "adults_in_property": adults_in_property},
            idempotency_key=idempotency_key or new_idempotency_key())
        return _application(body)

    def apply_student_exemption(
        self, account_number: str, token: str, *, applies_from: date, course_end: date,
        institution: str, all_residents_students: bool, idempotency_key: str | None = None,
    ) -> Application:
        body = self._verified(
            token, "POST", f"/council-tax/accounts/{account_number}/student-exemption",
            json={"applies_from": applies_from.isoformat(), "course_end": course_end.isoformat(),
                  "institution": institution, "all_residents_students": all_residents_students},
            idempotency_key=idempotency_key or new_idempotency_key())
        return _application(body)

    def notify_move(
        self, account_number: str, token: str, *, kind: str, move_date: date,
        forwarding_address: str | None = None, new_uprn: str | None = None,
        idempotency_key: str | None = None,
    ) -> MoveNotification:
        """`kind` "out" needs `forwarding_address`; "within" needs `new_uprn`."""
        payload: dict[str, Any] = {"kind": kind, "move_date": move_date.isoformat()}
        if forwarding_address:
            payload["forwarding_address"] = forwarding_address
        if new_uprn:
            payload["new_uprn"] = new_uprn
        body = self._verified(token, "POST", f"/council-tax/accounts/{account_number}/moves",
                              json=payload,
                              idempotency_key=idempotency_key or new_idempotency_key())
        return _move(body)

    def notify_move_in(
        self, *, uprn: str, full_name: str, move_date: date, previous_address: str | None = None,
        idempotency_key: str | None = None,
    ) -> MoveNotification:
        payload: dict[str, Any] = {"uprn": uprn, "full_name": full_name,
                                   "move_date": move_date.isoformat()}
        if previous_address:
            payload["previous_address"] = previous_address
        body = self._request("POST", "/council-tax/moves-in", json=payload,
                             idempotency_key=idempotency_key or new_idempotency_key())
        return _move(body)


def _instalment(row: dict) -> Instalment:
    return Instalment(date.fromisoformat(row["due_date"]), Decimal(row["amount"]),
                      row.get("status", "upcoming"))


def _instalments(rows: list[dict]) -> tuple[Instalment, ...]:
    return tuple(_instalment(r) for r in rows)


def _summary(body: dict) -> AccountSummary:
    method = body["payment_method"]
    return AccountSummary(
        account_number=body["account_number"], liable_person=body["liable_person"],
        property_label=body["property"]["label"], financial_year=body["financial_year"],
        band=body["band"], annual_charge=Decimal(body["annual_charge"]),
        discounts=tuple(d["description"] for d in body["discounts"]),
        exemptions=tuple(e["description"] for e in body["exemptions"]),
        amount_payable=Decimal(body["amount_payable"]),
        paid_this_year=Decimal(body["paid_this_year"]), balance=Decimal(body["balance"]),
        arrears=Decimal(body["arrears"]), instalments=_instalments(body["instalments"]),
        next_instalment=_instalment(body["next_instalment"]) if body["next_instalment"] else None,
        payments=tuple(Payment(date.fromisoformat(p["date"]), Decimal(p["amount"]), p["method"])
                       for p in body["payments"]),
        payment_method=method["description"], payment_method_kind=method["kind"],
        instalment_count=method["instalments"], payment_day=method["payment_day"],
        recovery_stage=body["recovery_stage"]["code"],
        recovery_stage_description=body["recovery_stage"]["description"],
        payment_reference=body["payment_reference"], payment_url=body["payment_url"],
    )


def _direct_debit(body: dict) -> DirectDebit:
    first = body["first_collection"]
    return DirectDebit(body["payment_method"], body["payment_day"],
                       date.fromisoformat(body["effective_from"]),
                       _instalment(first) if first else None, _instalments(body["schedule"]))


def _application(body: dict) -> Application:
    return Application(body["reference"], body["kind"], date.fromisoformat(body["applies_from"]),
                       tuple(body["evidence_required"]), body["decision_within_days"])


def _move(body: dict) -> MoveNotification:
    return MoveNotification(body["reference"], body["kind"], date.fromisoformat(body["move_date"]),
                            body["charged_by_the_day"])
