"""Rough sleeping: reports from the public, their status, outreach teams and the SWEP flag."""

from __future__ import annotations

import re
from dataclasses import asdict
from datetime import date, datetime

from fastapi import APIRouter, Depends, Path
from pydantic import BaseModel, Extra, Field, StrictBool, root_validator, validator
from sqlalchemy.orm import Session

from bot.backoffice.deps import db_session, get_clock
from bot.backoffice.postcodes import normalise_postcode
from bot.backoffice.services import rough_sleeping as service
from bot.http.clock import LondonClock, as_london

router = APIRouter(prefix="/rough-sleeping", tags=["rough_sleeping"])

REFERENCE_PATTERN = r"^RS-\d{6}$"
_W3W = re.compile(r"^(?:///)?([a-z]+)\.([a-z]+)\.([a-z]+)$")
_PHONE_NOISE = re.compile(r"[\s\-().]")
_UK_PHONE = re.compile(r"^0\d{9,10}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")

class Strict(BaseModel):
    class Config:
        extra = Extra.forbid
        anystr_strip_whitespace = True


class ReporterIn(Strict):
    name: str | None = Field(None, min_length=1, max_length=120)
    phone: str | None = Field(None, max_length=30)
    email: str | None = Field(None, max_length=254)

    @validator("phone")
    def _uk_phone(cls, value: str | None) -> str | None:
        if not value:
            return None
        digits = _PHONE_NOISE.sub("", value)
        if digits.startswith("+44"):
            digits = "0" + digits[3:]
        if not _UK_PHONE.match(digits):
            raise ValueError("must be a UK phone number, e.g. 07700 900123")
        return digits

    @validator("email")
    def _email(cls, value: str | None) -> str | None:
        if not value:
            return None
        if not _EMAIL.match(value):
            raise ValueError("must be an email address, e.g. name@example.com")
        return value.lower()


class ReportIn(Strict):
    location_text: str = Field(..., min_length=5, max_length=500)
    postcode: str | None = Field(None, max_length=16)
    latitude: float | None = Field(None, ge=-90, le=90)
    longitude: float | None = Field(None, ge=-180, le=180)
    what3words: str | None = Field(None, max_length=100)
    seen_at: datetime
    person_description: str = Field(..., min_length=3, max_length=1000)
    site_description: str | None = Field(None, max_length=1000)
    people_count: int = Field(1, ge=1, le=50)
    under_18: StrictBool = False
    immediate_danger: StrictBool = False
    reporter: ReporterIn | None = None
    consent_to_contact: StrictBool = False
    consent_to_updates: StrictBool = False

    @validator("postcode")
    def _postcode(cls, value: str | None) -> str | None:
        if not value:
            return None
        normalised = normalise_postcode(value)
        if normalised is None:
            raise ValueError(f"'{value}' is not a valid UK postcode")
        return normalised

    @validator("what3words")
    def _what3words(cls, value: str | None) -> str | None:
        if not value:
            return None
        match = _W3W.match(value.lower())
        if not match:
            raise ValueError("must be three words like ///filled.count.soap")
        return "///" + ".".join(match.groups())

    @validator("seen_at")
    def _local_time(cls, value: datetime) -> datetime:
        # The council's systems keep naive UK wall-clock time.
        if value.tzinfo is not None:
            return as_london(value)
        return value

    @root_validator(skip_on_failure=True)
    def _coordinates_together(cls, values: dict) -> dict:
        if (values.get("latitude") is None) != (values.get("longitude") is None):
            raise ValueError("latitude and longitude must be given together")
        return values

    def to_input(self) -> service.ReportInput:
        reporter = self.reporter or ReporterIn(name=None, phone=None, email=None)
        return service.ReportInput(
            location_text=self.location_text, postcode=self.postcode, latitude=self.latitude,
            longitude=self.longitude, what3words=self.what3words, seen_at=self.seen_at,
            person_description=self.person_description,
            site_description=self.site_description or None, people_count=self.people_count,
            under_18=self.under_18, immediate_danger=self.immediate_danger,
            reporter_name=reporter.name, reporter_phone=reporter.phone,
            reporter_email=reporter.email, consent_to_contact=self.consent_to_contact,
            consent_to_updates=self.consent_to_updates,
        )


class RoutedTo(BaseModel):
    kind: str
    name: str
    team_code: str | None
    ward: str | None


class ReportStatusOut(BaseModel):
    """What the public may know about a report: never descriptions or contact details."""

    reference: str
    status: str
    routed_to: RoutedTo
    created_at: datetime
    update_due: date | None


class ReportCreatedOut(ReportStatusOut):
    call_999: bool
    swep_active: bool
    next_steps: list[str]


class OutreachTeamOut(BaseModel):
    code: str
    name: str
    ward: str
    is_default: bool
    hours: str

    class Config:
        orm_mode = True


class SwepOut(BaseModel):
    active: bool
    reason: str | None
    updated_at: datetime


class SwepIn(Strict):
    active: StrictBool
    reason: str | None = Field(None, max_length=200)


@router.post("/reports", response_model=ReportCreatedOut, status_code=201)
def create_report(
    body: ReportIn,
    session: Session = db_session,
    clock: LondonClock = Depends(get_clock),
) -> ReportCreatedOut:
    """Take a report of someone sleeping rough and route it: outreach team of the ward, or
    children's services and the police when the person may be under 18."""
    created = service.create_report(session, clock.now(), body.to_input())
    return ReportCreatedOut(**asdict(created))


@router.get("/reports/{reference}", response_model=ReportStatusOut)
def report_status(
    reference: str = Path(..., pattern=REFERENCE_PATTERN),
    session: Session = db_session,
) -> ReportStatusOut:
    return ReportStatusOut(**asdict(service.report_status(session, reference)))


@router.get("/outreach-teams", response_model=list[OutreachTeamOut])
def outreach_teams(session: Session = db_session) -> list[OutreachTeamOut]:
    return [OutreachTeamOut.from_orm(team) for team in service.list_teams(session)]


@router.get("/swep", response_model=SwepOut)
def read_swep(session: Session = db_session) -> SwepOut:
    """Whether the severe weather emergency protocol is in force tonight."""
    current = service.swep(session)
    return SwepOut(active=bool(current.active), reason=current.reason,
                   updated_at=current.updated_at)


@router.put("/swep", response_model=SwepOut)
def switch_swep(
    body: SwepIn,
    session: Session = db_session,
    clock: LondonClock = Depends(get_clock),
) -> SwepOut:
    """Switch SWEP on or off (staff, and tests)."""
    current = service.set_swep(session, clock.now(), body.active, body.reason)
    return SwepOut(active=current.active, reason=current.reason, updated_at=current.updated_at)
