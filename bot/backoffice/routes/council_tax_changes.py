"""Council tax changes a verified resident makes: instalments, Direct Debit, discounts, moves.

The same refusals as in `council_tax` apply; every route but /moves-in needs the
`X-Verification-Token` header.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from fastapi import APIRouter, Depends
from pydantic import BaseModel, StrictBool, conint, constr
from sqlalchemy.orm import Session

from bot.backoffice.deps import db_session, get_clock
from bot.backoffice.routes.council_tax import (
    InstalmentOut,
    Strict,
    VerifiedAccount,
    verified_account,
)
from bot.backoffice.services import council_tax_changes as changes
from bot.backoffice.services.council_tax_billing import INSTALMENT_OPTIONS
from bot.http.clock import LondonClock

router = APIRouter(prefix="/council-tax", tags=["council_tax"])


class InstalmentPlanIn(Strict):
    instalments: Literal[INSTALMENT_OPTIONS]  # type: ignore[valid-type]


class InstalmentPlanOut(BaseModel):
    instalments: int
    effective_from: date
    schedule: list[InstalmentOut]


class DirectDebitIn(Strict):
    account_holder: constr(strip_whitespace=True, min_length=1, max_length=120)
    sort_code: constr(strip_whitespace=True, max_length=10)
    bank_account_number: constr(strip_whitespace=True, max_length=12)
    payment_day: int


class PaymentDayIn(Strict):
    payment_day: int


class DirectDebitOut(BaseModel):
    payment_method: str
    payment_day: int
    effective_from: date
    first_collection: InstalmentOut | None
    schedule: list[InstalmentOut]


class SinglePersonDiscountIn(Strict):
    applies_from: date
    adults_in_property: conint(ge=0, le=20)


class StudentExemptionIn(Strict):
    applies_from: date
    course_end: date
    institution: constr(strip_whitespace=True, min_length=2, max_length=120)
    all_residents_students: StrictBool


class ApplicationOut(BaseModel):
    reference: str
    kind: str
    applies_from: date
    status: str
    evidence_required: list[str]
    decision_within_days: int


class MoveIn(Strict):
    kind: Literal["out", "within"]
    move_date: date
    forwarding_address: constr(strip_whitespace=True, max_length=300) | None = None
    new_uprn: constr(regex=r"^\d{12}$") | None = None


class MoveInIn(Strict):
    uprn: constr(regex=r"^\d{12}$")
    full_name: constr(strip_whitespace=True, min_length=2, max_length=120)
    move_date: date
    previous_address: constr(strip_whitespace=True, max_length=300) | None = None


class MoveOut(BaseModel):
    reference: str
    kind: str
    move_date: date
    status: str
    charged_by_the_day: str


@router.put("/accounts/{account_number}/instalment-plan", response_model=InstalmentPlanOut)
def change_instalments(body: InstalmentPlanIn,
                       verified: VerifiedAccount = Depends(verified_account)) -> dict:
    """Switch between 10 and 12 instalments; what is left of the year is re-spread."""
    return changes.change_instalments(verified.session, verified.account, body.instalments,
                                      verified.today)


@router.post("/accounts/{account_number}/direct-debit", response_model=DirectDebitOut,
             status_code=201)
def set_up_direct_debit(body: DirectDebitIn,
                        verified: VerifiedAccount = Depends(verified_account)) -> dict:
    return changes.set_up_direct_debit(
        verified.session, verified.account, account_holder=body.account_holder,
        sort_code=body.sort_code, bank_account_number=body.bank_account_number,
        payment_day=body.payment_day, today=verified.today)


@router.put("/accounts/{account_number}/direct-debit/payment-day", response_model=DirectDebitOut)
def change_payment_day(body: PaymentDayIn,
                       verified: VerifiedAccount = Depends(verified_account)) -> dict:
    """Payments can be taken on the 1st, 8th, 15th or 23rd (422 `invalid_payment_day`)."""
    return changes.change_payment_day(verified.session, verified.account, body.payment_day,
                                      verified.today)


@router.post("/accounts/{account_number}/single-person-discount", response_model=ApplicationOut,
             status_code=201)
def apply_single_person_discount(body: SinglePersonDiscountIn,
                                 verified: VerifiedAccount = Depends(verified_account)) -> dict:
    return changes.apply_single_person_discount(
        verified.session, verified.account, applies_from=body.applies_from,
        adults=body.adults_in_property, today=verified.today)


@router.post("/accounts/{account_number}/student-exemption", response_model=ApplicationOut,
             status_code=201)
def apply_student_exemption(body: StudentExemptionIn,
                            verified: VerifiedAccount = Depends(verified_account)) -> dict:
    return changes.apply_student_exemption(
        verified.session, verified.account, applies_from=body.applies_from,
        course_end=body.course_end, institution=body.institution,
        all_residents_students=body.all_residents_students, today=verified.today)


@router.post("/accounts/{account_number}/moves", response_model=MoveOut, status_code=201)
def notify_move(body: MoveIn, verified: VerifiedAccount = Depends(verified_account)) -> dict:
    """Moving out of Anytown (`forwarding_address`) or within it (`new_uprn`)."""
    return changes.notify_move(
        verified.session, verified.account, kind=body.kind, move_date=body.move_date,
        today=verified.today, forwarding_address=body.forwarding_address,
        new_uprn=body.new_uprn)


@router.post("/moves-in", response_model=MoveOut, status_code=201)
def notify_move_in(body: MoveInIn, session: Session = db_session,
                   clock: LondonClock = Depends(get_clock)) -> dict:
    """A new resident moving into Anytown: no account yet, so no verification."""
    return changes.notify_move_in(
        session, uprn=body.uprn, full_name=body.full_name, move_date=body.move_date,
        today=clock.today(), previous_address=body.previous_address)
