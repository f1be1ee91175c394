"""Waste system routes: collections, missed bins, bulky waste, containers and the A-Z."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from fastapi import APIRouter, Depends, Path, Query, Response
from pydantic import BaseModel, Field, conint, constr
from sqlalchemy.orm import Session

from bot.backoffice.deps import db_session, get_clock
from bot.backoffice.services import waste, waste_a_to_z, waste_bulky, waste_containers
from bot.backoffice.waste_items import BINS
from bot.http.clock import LondonClock

router = APIRouter(prefix="/waste", tags=["waste"])

UPRN_PATTERN = r"^\d{12}$"
Uprn = constr(regex=UPRN_PATTERN)
ServiceKey = Literal["general", "recycling", "food", "garden", "communal_general",
                     "communal_recycling"]
Container = Literal["general", "recycling", "food", "garden"]
Reason = Literal["new", "replacement", "extra", "stolen", "damaged"]


def uprn_query(uprn: str = Query(..., pattern=UPRN_PATTERN, description="12-digit UPRN")) -> str:
    return uprn


# -- Collections ------------------------------------------------------------------------------

@router.get("/collections/{uprn}")
def get_collections(uprn: str = Path(..., pattern=UPRN_PATTERN),
                    session: Session = db_session,
                    clock: LondonClock = Depends(get_clock)) -> dict:
    """Next and last collection of each service at a property, with bank-holiday moves and
    the crew's outcome of the last round."""
    return waste.collections(session, uprn, clock.now())


# -- Missed bins ------------------------------------------------------------------------------

class EligibilityOut(BaseModel):
    uprn: str
    service: str
    eligible: bool
    code: str
    message: str
    collection_date: date
    window_opens: datetime
    window_closes: datetime
    reason: str | None
    existing_reference: str | None


@router.get("/missed-bins/eligibility", response_model=EligibilityOut)
def missed_bin_eligibility(uprn: str = Depends(uprn_query), service: ServiceKey = Query(...),
                           session: Session = db_session,
                           clock: LondonClock = Depends(get_clock)) -> EligibilityOut:
    """Whether a missed collection can be reported now, and if not why (the code says)."""
    check = waste.missed_bin_eligibility(session, uprn, service, clock.now())
    return EligibilityOut(uprn=uprn, service=service, **check.__dict__)


class MissedBinIn(BaseModel):
    uprn: Uprn  # type: ignore[valid-type]
    service: ServiceKey


class MissedBinOut(BaseModel):
    reference: str
    uprn: str
    service: str
    collection_date: date
    reported_at: datetime
    collect_by: date
    created: bool = True

    class Config:
        orm_mode = True


@router.post("/missed-bins", response_model=MissedBinOut, status_code=201,
             responses={200: {"description": "Already reported: the existing report"},
                        409: {"description": "too_early, too_late or crew_reported"}})
def report_missed_bin(body: MissedBinIn, response: Response,
                      session: Session = db_session,
                      clock: LondonClock = Depends(get_clock)) -> MissedBinOut:
    """Report a missed collection; a second report of the same round returns the first."""
    report, created = waste.report_missed_bin(session, body.uprn, body.service, clock.now())
    if not created:
        response.status_code = 200
    return MissedBinOut(**MissedBinOut.from_orm(report).dict(exclude={"created"}),
                        created=created)


@router.get("/missed-bins/{reference}", response_model=MissedBinOut)
def get_missed_bin(reference: str = Path(..., max_length=9),
                   session: Session = db_session) -> MissedBinOut:
    return MissedBinOut.from_orm(waste.get_missed_bin(session, reference))


# -- Bulky waste ------------------------------------------------------------------------------

@router.get("/bulky/items")
def bulky_items() -> dict:
    """The price list, the pricing rule, and items not taken with where they can go."""
    return waste_bulky.catalogue()


class BulkyLine(BaseModel):
    item: constr(strip_whitespace=True, min_length=1, max_length=60)  # type: ignore[valid-type]
    quantity: conint(ge=1, le=waste_bulky.MAX_ITEMS) = 1  # type: ignore[valid-type]


class BulkyQuoteIn(BaseModel):
    items: list[BulkyLine] = Field(..., min_items=1, max_items=waste_bulky.MAX_ITEMS)


class BulkyQuoteOut(BaseModel):
    items: list[BulkyLine]
    item_count: int
    price_pence: int


@router.post("/bulky/quote", response_model=BulkyQuoteOut)
def bulky_quote(body: BulkyQuoteIn) -> dict:
    """Price a list of items without booking (nothing is written)."""
    return waste_bulky.quote([(line.item, line.quantity) for line in body.items])


class SlotOut(BaseModel):
    date: date
    remaining: int
    available: bool


class SlotsOut(BaseModel):
    uprn: str
    slots: list[SlotOut]


@router.get("/bulky/slots", response_model=SlotsOut)
def bulky_slots(uprn: str = Depends(uprn_query), session: Session = db_session,
                clock: LondonClock = Depends(get_clock)) -> SlotsOut:
    """Collection dates for the property's round over the next weeks, with places left."""
    return SlotsOut(uprn=uprn, slots=waste_bulky.slots(session, uprn, clock.now()))


class BulkyBookingIn(BulkyQuoteIn):
    uprn: Uprn  # type: ignore[valid-type]
    slot_date: date


class BulkyBookingOut(BaseModel):
    reference: str
    uprn: str
    collection_date: date
    items: list[BulkyLine]
    price_pence: int

    class Config:
        orm_mode = True


@router.post("/bulky/bookings", response_model=BulkyBookingOut, status_code=201,
             responses={409: {"description": "slot_full"}})
def book_bulky(body: BulkyBookingIn, session: Session = db_session,
               clock: LondonClock = Depends(get_clock)) -> BulkyBookingOut:
    booking = waste_bulky.book(session, body.uprn, body.slot_date,
                               [(line.item, line.quantity) for line in body.items], clock.now())
    return BulkyBookingOut.from_orm(booking)


@router.get("/bulky/bookings/{reference}", response_model=BulkyBookingOut)
def get_bulky_booking(reference: str = Path(..., max_length=9),
                      session: Session = db_session) -> BulkyBookingOut:
    return BulkyBookingOut.from_orm(waste_bulky.get_booking(session, reference))


# -- Containers -------------------------------------------------------------------------------

@router.get("/containers/options")
def container_options(uprn: str = Depends(uprn_query),
                      session: Session = db_session) -> dict:
    """Each container and reason with its charge and whether this property may ask for it."""
    return waste_containers.options(session, uprn)


class ContainerRequestIn(BaseModel):
    uprn: Uprn  # type: ignore[valid-type]
    container: Container
    reason: Reason
    damaged_by_crew: bool = False
    household_size: conint(ge=1, le=30) | None = None  # type: ignore[valid-type]


class ContainerRequestOut(BaseModel):
    reference: str
    uprn: str
    container: str
    reason: str
    charge_pence: int
    deliver_by: date

    class Config:
        orm_mode = True


@router.post("/container-requests", response_model=ContainerRequestOut, status_code=201,
             responses={409: {"description": "already_requested"}})
def request_container(body: ContainerRequestIn, session: Session = db_session,
                      clock: LondonClock = Depends(get_clock)) -> ContainerRequestOut:
    request = waste_containers.request_container(
        session, body.uprn, body.container, body.reason, body.damaged_by_crew,
        body.household_size, clock.now())
    return ContainerRequestOut.from_orm(request)


# -- A-Z --------------------------------------------------------------------------------------

@router.get("/items")
def list_items(bin: Literal[tuple(BINS)] | None = Query(None)) -> dict:  # type: ignore[valid-type]
    """The whole A-Z, optionally only the items for one bin."""
    return {"items": waste_a_to_z.all_items(bin)}


@router.get("/items/search")
def search_items(q: str = Query(..., min_length=2, max_length=80)) -> dict:
    """An exact (or plural) match in `match`; otherwise the nearest items in `suggestions`."""
    return waste_a_to_z.search(q)
