"""Rules of the waste system: collection calendars, bank-holiday moves and missed-bin reports."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.backoffice.models import Address
from bot.backoffice.models.waste import CrewNote, GardenWasteSubscription, MissedBinReport
from bot.backoffice.services.address import get_address
from bot.backoffice.services.references import new_reference
from bot.backoffice.services.working_days import (
    add_working_days,
    bank_holiday,
    next_working_day,
)
from bot.http.problems import Problem

# Week parity of fortnightly rounds is counted from this Monday, not from ISO week numbers,
# which would break the alternation in years with 53 weeks.
ROUND_EPOCH = date(2024, 1, 1)
# Crews are out until then; a bin is "missed" only once the round is over.
ROUND_ENDS = time(16, 0)
MISSED_BIN_COLLECT_WORKING_DAYS = 2
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@dataclass(frozen=True)
class Service:
    key: str
    bin_type: str
    name: str
    container: str
    every_weeks: int
    # Which fortnight (0 or 1 since ROUND_EPOCH) a fortnightly round runs in.
    parity: int = 0


GENERAL = Service("general", "general", "General waste", "black bin", 2, 0)
RECYCLING = Service("recycling", "recycling", "Recycling", "blue bin", 2, 1)
FOOD = Service("food", "food", "Food waste", "green caddy", 1)
GARDEN = Service("garden", "garden", "Garden waste", "brown bin", 2, 1)
COMMUNAL_GENERAL = Service("communal_general", "general", "General waste",
                           "communal black bins", 1)
COMMUNAL_RECYCLING = Service("communal_recycling", "recycling", "Recycling",
                             "communal blue bins", 1)
SERVICES = {s.key: s for s in (GENERAL, RECYCLING, FOOD, GARDEN, COMMUNAL_GENERAL,
                               COMMUNAL_RECYCLING)}


@dataclass(frozen=True)
class Collection:
    date: date
    original_date: date | None = None
    reason: str | None = None


def holiday_reason(name: str) -> str:
    if name.endswith(" (observed)"):
        return f"{name.removesuffix(' (observed)')} bank holiday (substitute day)"
    return f"{name} bank holiday"


def get_property(session: Session, uprn: str) -> Address:
    """The property, or a 404 that names the UPRN asked about."""
    return get_address(session, uprn, uprn=uprn)


def services_for(session: Session, address: Address) -> list[Service]:
    if address.collection_type == "communal":
        return [COMMUNAL_GENERAL, COMMUNAL_RECYCLING]
    services = [GENERAL, RECYCLING, FOOD]
    if session.get(GardenWasteSubscription, address.uprn) is not None:
        services.append(GARDEN)
    return services


def service_for(session: Session, address: Address, key: str) -> Service:
    for service in services_for(session, address):
        if service.key == key:
            return service
    offered = [s.key for s in services_for(session, address)]
    raise Problem(422, "service_not_provided",
                  f"This property does not get the '{key}' service.", offered=offered)


def _scheduled(address: Address, service: Service, around: date) -> list[date]:
    """Normal round dates from three weeks before to five weeks after `around`."""
    weekday = WEEKDAYS.index(address.collection_day)
    start = around - timedelta(days=21)
    start += timedelta(days=(weekday - start.weekday()) % 7)
    dates = []
    for week in range(8):
        day = start + timedelta(weeks=week)
        fortnight = ((day - ROUND_EPOCH).days // 7) % 2
        if service.every_weeks == 1 or fortnight == service.parity:
            dates.append(day)
    return dates


def _moved(normal: date) -> Collection:
    """A round falling on a bank holiday runs on the next working day instead."""
    name = bank_holiday(normal)
    if name is None:
        return Collection(normal)
    return Collection(next_working_day(normal), original_date=normal, reason=holiday_reason(name))


def calendar(address: Address, service: Service, around: date) -> list[Collection]:
    return [_moved(day) for day in _scheduled(address, service, around)]


def round_over(day: date, now: datetime) -> bool:
    return day < now.date() or (day == now.date() and now.time() >= ROUND_ENDS)


def next_collection(address: Address, service: Service, now: datetime) -> Collection:
    """The next round not yet over: today's counts until the crews finish at 16:00."""
    return next(c for c in calendar(address, service, now.date()) if not round_over(c.date, now))


def last_collection(address: Address, service: Service, now: datetime) -> Collection:
    return [c for c in calendar(address, service, now.date()) if round_over(c.date, now)][-1]


def crew_note(session: Session, uprn: str, service: str, day: date) -> CrewNote | None:
    notes = session.scalars(
        select(CrewNote).where(CrewNote.uprn == uprn, CrewNote.service == service)
        .order_by(CrewNote.id)
    ).all()
    for note in notes:
        if note.collection_date in (day, None):
            return note
    return None


def collections(session: Session, uprn: str, now: datetime) -> dict:
    address = get_property(session, uprn)
    services = []
    for service in services_for(session, address):
        upcoming = next_collection(address, service, now)
        last = last_collection(address, service, now)
        note = crew_note(session, uprn, service.key, last.date)
        services.append({
            "service": service.key, "bin_type": service.bin_type, "name": service.name,
            "container": service.container,
            "frequency": "weekly" if service.every_weeks == 1 else "fortnightly",
            "next": _collection_out(upcoming),
            "last": {**_collection_out(last),
                     "outcome": note.outcome if note else "collected",
                     "note": note.note if note else None},
        })
    services.sort(key=lambda s: (s["next"]["date"], s["service"]))
    return {"uprn": uprn, "address": address.label, "collection_type": address.collection_type,
            "collection_day": address.collection_day, "today": now.date(),
            "services": services}


def _collection_out(collection: Collection) -> dict:
    return {"date": collection.date, "original_date": collection.original_date,
            "reason": collection.reason}


# -- Missed bins ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Eligibility:
    eligible: bool
    code: str
    message: str
    collection_date: date
    window_opens: datetime
    window_closes: datetime
    reason: str | None = None
    existing_reference: str | None = None


def missed_bin_eligibility(session: Session, uprn: str, service_key: str,
                           now: datetime) -> Eligibility:
    """Apply the rules in order: too early, already reported, crew note, too late."""
    address = get_property(session, uprn)
    service = service_for(session, address, service_key)
    todays = [c for c in calendar(address, service, now.date()) if c.date == now.date()]
    collection = todays[0] if todays else last_collection(address, service, now)
    opens = datetime.combine(collection.date, ROUND_ENDS)
    closes = datetime.combine(next_working_day(collection.date), time(23, 59, 59))

    def result(eligible: bool, code: str, message: str, **found: str | None) -> Eligibility:
        return Eligibility(eligible, code, message, collection.date, opens, closes, **found)

    if now < opens:
        return result(False, "too_early", "Crews are out until 16:00 on collection day; "
                      "a missed bin can be reported after that.")
    existing = session.scalar(select(MissedBinReport).where(
        MissedBinReport.uprn == uprn, MissedBinReport.service == service.key,
        MissedBinReport.collection_date == collection.date))
    if existing is not None:
        return result(False, "already_reported", "This collection has already been "
                      "reported as missed.", existing_reference=existing.reference)
    note = crew_note(session, uprn, service.key, collection.date)
    if note is not None:
        return result(False, "crew_reported", f"The crew recorded: {note.note}.",
                      reason=note.note)
    if now > closes:
        return result(False, "too_late", "Missed bins must be reported by the end of the "
                      "next working day after collection.")
    return result(True, "eligible", "This collection can be reported as missed.")


def report_missed_bin(session: Session, uprn: str, service_key: str,
                      now: datetime) -> tuple[MissedBinReport, bool]:
    """Create the report; returns (report, created). A duplicate returns the existing one."""
    check = missed_bin_eligibility(session, uprn, service_key, now)
    if check.code == "already_reported":
        existing = session.get(MissedBinReport, check.existing_reference)
        assert existing is not None
        return existing, False
    if not check.eligible:
        details = {"reason": check.reason} if check.reason else {}
        raise Problem(409, check.code, check.message, collection_date=str(check.collection_date),
                      window_opens=check.window_opens.isoformat(),
                      window_closes=check.window_closes.isoformat(), **details)
    report = MissedBinReport(
        reference=new_reference(session, MissedBinReport, "MB"), uprn=uprn,
        service=service_key, collection_date=check.collection_date, reported_at=now,
        collect_by=add_working_days(now.date(), MISSED_BIN_COLLECT_WORKING_DAYS),
    )
    session.add(report)
    session.flush()
    return report, True


def get_missed_bin(session: Session, reference: str) -> MissedBinReport:
    report = session.get(MissedBinReport, reference)
    if report is None:
        raise Problem(404, "unknown_reference", f"No missed-bin report {reference}.")
    return report

