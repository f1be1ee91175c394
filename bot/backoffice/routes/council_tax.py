"""Council tax: verification, account summaries and band lookup.

Refusals use 422 (409 for a state conflict, 429 when an account number has had too many
failed verifications), never 401/403: those are reserved for the service token, so a client
can tell its own misconfiguration from a resident's failed verification. Account routes need
the `X-Verification-Token` a verification returned; the token lives for
`backoffice_verification_ttl_seconds` after its last use. Residents' changes to an account
are in `council_tax_changes`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Literal

from fastapi import APIRouter, Depends, Header, Path, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Extra, constr
from sqlalchemy.orm import Session

from bot.backoffice.deps import db_session, get_clock
from bot.backoffice.models.council_tax import CouncilTaxAccount
from bot.backoffice.services import council_tax as service
from bot.backoffice.services import council_tax_verification as verification
from bot.http.clock import LondonClock
from bot.http.problems import Problem, problem_response

router = APIRouter(prefix="/council-tax", tags=["council_tax"])
# Every route writes (a verification, or a token's new expiry), so the session must commit
# before the idempotency middleware stores the response in the same SQLite file.

TOKEN_HEADER = "X-Verification-Token"
ACCOUNT_PATTERN = r"^5\d{8}$"


class Strict(BaseModel):
    class Config:
        extra = Extra.forbid


class VerificationIn(Strict):
    account_number: constr(strip_whitespace=True, min_length=1, max_length=20)
    surname: constr(strip_whitespace=True, min_length=1, max_length=60)
    postcode: constr(strip_whitespace=True, min_length=1, max_length=16)


class VerificationOut(BaseModel):
    token: str
    account_number: str
    expires_at: datetime


class InstalmentOut(BaseModel):
    due_date: date
    amount: str
    status: Literal["paid", "missed", "upcoming"]


class NextInstalmentOut(BaseModel):
    due_date: date
    amount: str


class PaymentOut(BaseModel):
    date: date
    amount: str
    method: str


class DiscountOut(BaseModel):
    kind: str
    description: str
    amount: str


class ExemptionOut(BaseModel):
    exemption_class: str
    description: str


class PaymentMethodOut(BaseModel):
    kind: Literal["direct_debit", "online", "none"]
    description: str
    instalments: int
    payment_day: int


class RecoveryStageOut(BaseModel):
    code: Literal["none", "reminder", "second_reminder", "final_notice", "summons",
                  "liability_order"]
    description: str


class PropertyOut(BaseModel):
    uprn: str
    label: str


class AccountSummaryOut(BaseModel):
    account_number: str
    liable_person: str
    property: PropertyOut
    financial_year: str
    band: str
    annual_charge: str
    discounts: list[DiscountOut]
    exemptions: list[ExemptionOut]
    amount_payable: str
    paid_this_year: str
    balance: str
    arrears: str
    instalments: list[InstalmentOut]
    next_instalment: NextInstalmentOut | None
    payments: list[PaymentOut]
    payment_method: PaymentMethodOut
    recovery_stage: RecoveryStageOut
    payment_reference: str
    payment_url: str


class BandedPropertyOut(BaseModel):
    uprn: str
    label: str
    band: str


class BandChargeOut(BaseModel):
    band: str
    annual_charge: str


class BandLookupOut(BaseModel):
    postcode: str
    financial_year: str
    properties: list[BandedPropertyOut]
    charges: list[BandChargeOut]


def _ttl(request: Request) -> int:
    return request.app.state.settings.backoffice_verification_ttl_seconds


def _attempt_limit(request: Request) -> verification.AttemptLimit:
    settings = request.app.state.settings
    return verification.AttemptLimit(
        max_failures=settings.backoffice_verification_max_failures,
        window=timedelta(seconds=settings.backoffice_verification_failure_window_seconds),
        lockout=timedelta(seconds=settings.backoffice_verification_lockout_seconds))


@dataclass(frozen=True)
class VerifiedAccount:
    """What every route on an account works with, once its token has been checked."""

    account: CouncilTaxAccount
    session: Session
    today: date


def verified_account(
    request: Request,
    account_number: str = Path(..., pattern=ACCOUNT_PATTERN),
    token: str | None = Header(None, alias=TOKEN_HEADER),
    session: Session = db_session,
    clock: LondonClock = Depends(get_clock),
) -> VerifiedAccount:
    account = verification.verified_account(session, account_number=account_number, token=token,
                                            now=clock.now(), ttl_seconds=_ttl(request))
    return VerifiedAccount(account, session, clock.today())


@router.post("/verifications", response_model=VerificationOut, status_code=201,
             responses={422: {"description": "verification_failed"},
                        429: {"description": "too_many_attempts, with Retry-After"}})
def verify(body: VerificationIn, request: Request, session: Session = db_session,
           clock: LondonClock = Depends(get_clock)) -> VerificationOut | JSONResponse:
    """Account number, surname and property postcode must all match (422 `verification_failed`
    otherwise, the same whichever was wrong). After repeated failures for one account number,
    every attempt for it gets 429 `too_many_attempts` for a while, whoever makes it."""
    outcome = verification.verify(
        session, account_number=body.account_number, surname=body.surname,
        postcode=body.postcode, now=clock.now(), ttl_seconds=_ttl(request),
        limit=_attempt_limit(request))
    if isinstance(outcome, Problem):
        return problem_response(outcome)  # returned, not raised: the failure must be kept
    return VerificationOut(token=outcome.token, account_number=outcome.account_number,
                           expires_at=outcome.expires_at)


@router.get("/bands", response_model=BandLookupOut)
def find_bands(postcode: str = Query(..., max_length=16), session: Session = db_session,
               clock: LondonClock = Depends(get_clock)) -> dict:
    """Public: bands of the properties at a postcode and this year's charge for each band."""
    return service.band_lookup(session, postcode, clock.today())


@router.get("/accounts/{account_number}", response_model=AccountSummaryOut)
def get_account(verified: VerifiedAccount = Depends(verified_account)) -> dict:
    return service.account_summary(verified.session, verified.account, verified.today)
