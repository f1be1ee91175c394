"""Changes residents make to council tax: instalments, Direct Debit, discounts and moves."""

from __future__ import annotations

import json
import re
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from bot.backoffice.models import Address
from bot.backoffice.models.council_tax import (
    CouncilTaxAccount,
    CouncilTaxRequest,
    PaymentArrangement,
)
from bot.backoffice.services import council_tax_billing as billing
from bot.backoffice.services.council_tax import (
    EVIDENCE,
    MAX_AHEAD,
    MAX_BACKDATE,
    arrangements_of,
    payable_pence,
    payment_method_text,
    statused_schedule,
)
from bot.backoffice.services.references import new_reference
from bot.http.problems import Problem

CHARGED_BY_THE_DAY = ("Council tax is charged by the day, so the bill is worked out to the "
                      "exact date.")


def check_date(value: date, today: date, field: str) -> None:
    if value < today - MAX_BACKDATE:
        raise Problem(422, "date_too_far_past",
                      f"{field} is more than a year ago; an officer must review it.", field=field)
    if value > today + MAX_AHEAD:
        raise Problem(422, "date_too_far_future",
                      f"{field} is more than 90 days ahead.", field=field)


def _has_something_to_pay(session: Session, account: CouncilTaxAccount, today: date) -> None:
    if payable_pence(session, account, billing.financial_year_of(today)) == 0:
        raise Problem(409, "nothing_to_pay", "This account has nothing to pay this year.")


def _new_arrangement(
    session: Session, account: CouncilTaxAccount, today: date, *, instalments: int | None = None,
    payment_day: int | None = None,
) -> PaymentArrangement:
    current = arrangements_of(session, account.account_number)[-1]
    row = PaymentArrangement(
        account_number=account.account_number, effective_from=billing.first_change_date(today),
        instalments=instalments or current.instalments,
        payment_day=payment_day or current.payment_day,
    )
    session.add(row)
    session.flush()
    return row


def _schedule_out(session: Session, account: CouncilTaxAccount, today: date) -> list[dict]:
    statused, _ = statused_schedule(session, account, today)
    return [{"due_date": i.due_date, "amount": billing.money(i.amount_pence), "status": s}
            for i, s in statused]


def _check_payment_day(payment_day: int) -> None:
    if payment_day not in billing.PAYMENT_DAYS:
        raise Problem(422, "invalid_payment_day",
                      "Payments can be taken on the 1st, 8th, 15th or 23rd of the month.")


def change_instalments(
    session: Session, account: CouncilTaxAccount, instalments: int, today: date
) -> dict[str, Any]:
    _has_something_to_pay(session, account, today)
    if arrangements_of(session, account.account_number)[-1].instalments == instalments:
        raise Problem(409, "no_change", f"The account already pays in {instalments} instalments.")
    row = _new_arrangement(session, account, today, instalments=instalments)
    return {"instalments": instalments, "effective_from": row.effective_from,
            "schedule": _schedule_out(session, account, today)}


def set_up_direct_debit(
    session: Session, account: CouncilTaxAccount, *, account_holder: str, sort_code: str,
    bank_account_number: str, payment_day: int, today: date,
) -> dict[str, Any]:
    _has_something_to_pay(session, account, today)
    if account.payment_method == "direct_debit":
        raise Problem(409, "direct_debit_exists", "This account already pays by Direct Debit.")
    _check_payment_day(payment_day)
    sort_digits = re.sub(r"[\s-]", "", sort_code)
    number_digits = re.sub(r"\s", "", bank_account_number)
    if not re.fullmatch(r"\d{6}", sort_digits) or sort_digits == "000000":
        raise Problem(422, "invalid_sort_code", "A sort code is 6 digits, like 12-34-56.")
    if not re.fullmatch(r"\d{8}", number_digits):
        raise Problem(422, "invalid_bank_account_number", "A bank account number is 8 digits.")
    if not account_holder.strip():
        raise Problem(422, "invalid_account_holder", "The account holder's name is needed.")
    account.payment_method = "direct_debit"
    account.bank_account_last4 = number_digits[-4:]
    row = _new_arrangement(session, account, today, payment_day=payment_day)
    return _direct_debit_out(session, account, row, today)


def change_payment_day(
    session: Session, account: CouncilTaxAccount, payment_day: int, today: date
) -> dict[str, Any]:
    _check_payment_day(payment_day)
    if account.payment_method != "direct_debit":
        raise Problem(409, "no_direct_debit", "This account does not pay by Direct Debit.")
    if arrangements_of(session, account.account_number)[-1].payment_day == payment_day:
        raise Problem(409, "no_change", "Payments are already taken on that day.")
    row = _new_arrangement(session, account, today, payment_day=payment_day)
    return _direct_debit_out(session, account, row, today)


def _direct_debit_out(
    session: Session, account: CouncilTaxAccount, row: PaymentArrangement, today: date
) -> dict[str, Any]:
    schedule = _schedule_out(session, account, today)
    first = next((i for i in schedule if i["due_date"] >= row.effective_from), None)
    return {"payment_method": payment_method_text(account), "payment_day": row.payment_day,
            "effective_from": row.effective_from, "first_collection": first,
            "schedule": schedule}


def _record(
    session: Session, *, prefix: str, kind: str, account_number: str | None,
    effective_from: date, details: dict[str, Any],
) -> CouncilTaxRequest:
    row = CouncilTaxRequest(
        reference=new_reference(session, CouncilTaxRequest, prefix),
        account_number=account_number, kind=kind,
        effective_from=effective_from, details=json.dumps(details, default=str),
        status="received",
    )
    session.add(row)
    return row


def apply_single_person_discount(
    session: Session, account: CouncilTaxAccount, *, applies_from: date, adults: int, today: date,
) -> dict[str, Any]:
    if account.discount == "single_person":
        raise Problem(409, "already_receiving", "The account already has single person discount.")
    if account.exemption_class:
        raise Problem(409, "nothing_to_pay", "The property is exempt, so there is nothing to pay.")
    if adults != 1:
        raise Problem(409, "not_eligible",
                      "Single person discount is only for homes where one adult lives.")
    check_date(applies_from, today, "applies_from")
    row = _record(session, prefix="CTD", kind="single_person_discount",
                  account_number=account.account_number, effective_from=applies_from,
                  details={"adults": adults})
    return _application_out(row, "single_person_discount")


def apply_student_exemption(
    session: Session, account: CouncilTaxAccount, *, applies_from: date, course_end: date,
    institution: str, all_residents_students: bool, today: date,
) -> dict[str, Any]:
    if account.exemption_class:
        raise Problem(409, "already_exempt", "The property is already exempt.")
    if not all_residents_students:
        raise Problem(409, "not_eligible",
                      "The exemption needs every resident to be a full-time student; with one "
                      "non-student adult the home may get single person discount instead.")
    check_date(applies_from, today, "applies_from")
    if course_end <= applies_from:
        raise Problem(422, "invalid_course_end", "The course must end after the exemption starts.",
                      field="course_end")
    row = _record(session, prefix="CTE", kind="student_exemption",
                  account_number=account.account_number, effective_from=applies_from,
                  details={"course_end": course_end, "institution": institution.strip()})
    return _application_out(row, "student_exemption")


def _application_out(row: CouncilTaxRequest, kind: str) -> dict[str, Any]:
    return {"reference": row.reference, "kind": kind, "applies_from": row.effective_from,
            "status": row.status, "evidence_required": EVIDENCE[kind],
            "decision_within_days": 14}


def notify_move(
    session: Session, account: CouncilTaxAccount, *, kind: str, move_date: date, today: date,
    forwarding_address: str | None = None, new_uprn: str | None = None,
) -> dict[str, Any]:
    """Moving out of the area (forwarding address) or within it (the new property's UPRN)."""
    check_date(move_date, today, "move_date")
    details: dict[str, Any] = {}
    if kind == "out":
        if not forwarding_address or not forwarding_address.strip():
            raise Problem(422, "forwarding_address_required",
                          "A forwarding address is needed for the final bill.")
        details["forwarding_address"] = forwarding_address.strip()
    else:
        new = session.get(Address, new_uprn) if new_uprn else None
        if new is None:
            raise Problem(422, "unknown_uprn", "The new address is not a property in Anytown.")
        if new.uprn == account.uprn:
            raise Problem(422, "same_address", "The new address is the current one.")
        details["new_uprn"] = new.uprn
    row = _record(session, prefix="CTM", kind=f"move_{kind}",
                  account_number=account.account_number, effective_from=move_date,
                  details=details)
    return _move_out(row, f"move_{kind}")


def notify_move_in(
    session: Session, *, uprn: str, full_name: str, move_date: date, today: date,
    previous_address: str | None,
) -> dict[str, Any]:
    """Someone new to Anytown: no account yet, so nothing to verify."""
    check_date(move_date, today, "move_date")
    if session.get(Address, uprn) is None:
        raise Problem(422, "unknown_uprn", "The address is not a property in Anytown.")
    if not full_name.strip():
        raise Problem(422, "invalid_name", "The resident's full name is needed.")
    row = _record(session, prefix="CTM", kind="move_in", account_number=None,
                  effective_from=move_date,
                  details={"uprn": uprn, "full_name": full_name.strip(),
                           "previous_address": (previous_address or "").strip()})
    return _move_out(row, "move_in")


def _move_out(row: CouncilTaxRequest, kind: str) -> dict[str, Any]:
    return {"reference": row.reference, "kind": kind, "move_date": row.effective_from,
            "status": row.status, "charged_by_the_day": CHARGED_BY_THE_DAY}
