"""Rules of container requests: who may have which bin, what it costs, and when it arrives."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.backoffice.models.waste import ContainerRequest, GardenWasteSubscription
from bot.backoffice.services.references import new_reference
from bot.backoffice.services.waste import get_property
from bot.backoffice.services.working_days import add_working_days
from bot.http.problems import Problem

CONTAINERS = {
    "general": "black wheelie bin (240 litres)",
    "recycling": "blue wheelie bin (240 litres)",
    "food": "green food caddy",
    "garden": "brown garden waste bin",
}
REASONS = ("new", "replacement", "extra", "stolen", "damaged")
DELIVERY_WORKING_DAYS = 10
# A larger general waste bin or an extra one is for big households only.
EXTRA_GENERAL_MIN_HOUSEHOLD = 6

# Charges in pence by (container, reason). New-build bins are charged; recycling and food
# containers are free to replace, because the council wants more recycling, not less.
CHARGES = {
    ("general", "new"): 3500, ("recycling", "new"): 3500, ("food", "new"): 0,
    ("garden", "new"): 0,
    ("general", "replacement"): 2500, ("recycling", "replacement"): 0,
    ("food", "replacement"): 0, ("garden", "replacement"): 2500,
    ("general", "extra"): 3500, ("recycling", "extra"): 0, ("food", "extra"): 0,
    ("garden", "extra"): 4500,
}
NOTES = {
    ("garden", "new"): "Included in your garden waste subscription.",
    ("garden", "extra"): "A second brown bin is a second subscription (a year's collections).",
    ("general", "extra"): f"Only for households of {EXTRA_GENERAL_MIN_HOUSEHOLD} or more people.",
}


def charge_for(container: str, reason: str, damaged_by_crew: bool = False) -> int:
    if reason == "damaged" and damaged_by_crew:
        return 0
    # Stolen and damaged bins cost what a replacement does.
    lookup = "replacement" if reason in ("stolen", "damaged") else reason
    return CHARGES[(container, lookup)]


def _refusal(session: Session, uprn: str, container: str, reason: str,
             household_size: int | None) -> Problem | None:
    address = get_property(session, uprn)
    if address.collection_type == "communal":
        return Problem(422, "communal_property", "Bins at blocks of flats are provided by the "
                       "managing agent; please contact them.")
    if container == "garden" and session.get(GardenWasteSubscription, uprn) is None:
        return Problem(422, "not_subscribed", "Brown bins come with a garden waste "
                       "subscription; this property does not subscribe.")
    if (container, reason) == ("general", "extra") and (
            household_size or 0) < EXTRA_GENERAL_MIN_HOUSEHOLD:
        return Problem(422, "not_eligible", "An extra black bin is only for households of "
                       f"{EXTRA_GENERAL_MIN_HOUSEHOLD} or more people.",
                       min_household=EXTRA_GENERAL_MIN_HOUSEHOLD)
    return None


def options(session: Session, uprn: str) -> dict:
    """Every container and reason with its charge, and whether this property may ask."""
    get_property(session, uprn)
    rows = []
    for container, label in CONTAINERS.items():
        reasons = []
        for reason in REASONS:
            refusal = _refusal(session, uprn, container, reason,
                               household_size=EXTRA_GENERAL_MIN_HOUSEHOLD)
            reasons.append({
                "reason": reason, "charge_pence": charge_for(container, reason),
                "available": refusal is None,
                "note": refusal.message if refusal else NOTES.get((container, reason)),
            })
        rows.append({"container": container, "label": label, "reasons": reasons})
    return {"uprn": uprn, "containers": rows,
            "damaged_by_crew_free": True, "delivery_working_days": DELIVERY_WORKING_DAYS}


def request_container(session: Session, uprn: str, container: str, reason: str,
                      damaged_by_crew: bool, household_size: int | None,
                      now: datetime) -> ContainerRequest:
    refusal = _refusal(session, uprn, container, reason, household_size)
    if refusal is not None:
        raise refusal
    open_request = session.scalar(select(ContainerRequest).where(
        ContainerRequest.uprn == uprn, ContainerRequest.container == container,
        ContainerRequest.reason == reason, ContainerRequest.deliver_by >= now.date()))
    if open_request is not None:
        raise Problem(409, "already_requested", "A request for this container is already "
                      "open.", reference=open_request.reference,
                      deliver_by=str(open_request.deliver_by))
    request = ContainerRequest(
        reference=new_reference(session, ContainerRequest, "CR"), uprn=uprn,
        container=container, reason=reason,
        charge_pence=charge_for(container, reason, damaged_by_crew),
        deliver_by=add_working_days(now.date(), DELIVERY_WORKING_DAYS), requested_at=now,
    )
    session.add(request)
    session.flush()
    return request
