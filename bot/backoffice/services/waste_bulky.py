"""Rules of bulky waste collections: what is taken, prices, slots per round day, and bookings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from rapidfuzz import fuzz, process
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.backoffice.models.waste import BulkyBooking
from bot.backoffice.services.references import new_reference
from bot.backoffice.services.waste import WEEKDAYS, get_property
from bot.backoffice.services.working_days import add_working_days, bank_holiday
from bot.http.problems import Problem

BASE_CHARGE_PENCE = 3000  # covers up to BASE_ITEMS items
BASE_ITEMS = 3
EXTRA_ITEM_PENCE = 1000
MAX_ITEMS = 10
SLOT_CAPACITY = 3  # bookings one crew can take on a round day
SLOT_WEEKS = 6
# The crew needs time to plan the round.
NOTICE_WORKING_DAYS = 3


@dataclass(frozen=True)
class BulkyItem:
    name: str
    aliases: tuple[str, ...] = ()
    # Fridges and freezers hold refrigerant gas that must be removed safely.
    surcharge_pence: int = 0


ACCEPTED = (
    BulkyItem("sofa", ("settee", "couch", "sofa bed", "corner sofa")),
    BulkyItem("armchair", ("recliner", "arm chair")),
    BulkyItem("chair", ("chairs", "dining chair", "office chair")),
    BulkyItem("table", ("dining table", "kitchen table", "coffee table")),
    BulkyItem("mattress", ("mattresses",)),
    BulkyItem("bed frame", ("bed", "bed base", "divan", "bunk bed")),
    BulkyItem("wardrobe", ("wardrobes",)),
    BulkyItem("chest of drawers", ("drawers", "dresser")),
    BulkyItem("bookcase", ("bookshelf", "shelving unit")),
    BulkyItem("desk", ()),
    BulkyItem("fridge", ("fridge freezer", "fridges"), surcharge_pence=1500),
    BulkyItem("freezer", ("chest freezer", "freezers"), surcharge_pence=1500),
    BulkyItem("washing machine", ("washer",)),
    BulkyItem("tumble dryer", ("dryer",)),
    BulkyItem("dishwasher", ()),
    BulkyItem("cooker", ("oven",)),
    BulkyItem("television", ("tv", "telly")),
    BulkyItem("carpet", ("rug", "rolled carpet")),
    BulkyItem("garden furniture", ("patio set", "garden table", "garden chair")),
    BulkyItem("bicycle", ("bike",)),
)

NOT_ACCEPTED = {
    "asbestos": "Asbestos needs a licensed contractor; the HWRC takes small amounts, "
                "double-wrapped, by appointment.",
    "car parts": "Take car parts to a garage or scrap dealer; the HWRC takes car batteries "
                 "and engine oil.",
    "tyres": "The HWRC takes up to 4 car tyres; otherwise ask a garage.",
    "building rubble": "Take rubble to the HWRC (DIY waste charges apply) or hire a skip.",
    "plasterboard": "Take plasterboard to the HWRC (DIY waste charges apply).",
    "paint": "Take paint to the HWRC, or give usable paint to the community repaint scheme.",
    "gas bottle": "Return gas bottles to the supplier or a stockist.",
    "garden waste": "Use your brown bin or take it to the HWRC.",
    "household rubbish": "Bagged rubbish goes in your black bin or to the HWRC.",
    "piano": "Pianos need a specialist remover; the council cannot lift them safely.",
    "hot tub": "Hot tubs need a specialist remover or a skip.",
}
NOT_ACCEPTED_ALIASES = {
    "rubble": "building rubble", "bricks": "building rubble", "concrete": "building rubble",
    "tyre": "tyres", "tires": "tyres", "engine": "car parts", "car seats": "car parts",
    "paint tins": "paint", "gas cylinder": "gas bottle", "black bags": "household rubbish",
    "rubbish bags": "household rubbish", "grass": "garden waste", "hedge cuttings": "garden waste",
}

_ACCEPTED_BY_NAME = {n: item for item in ACCEPTED for n in (item.name, *item.aliases)}


def catalogue() -> dict:
    return {
        "pricing": {"base_charge_pence": BASE_CHARGE_PENCE, "base_items": BASE_ITEMS,
                    "extra_item_pence": EXTRA_ITEM_PENCE, "max_items": MAX_ITEMS},
        "items": [{"name": i.name, "aliases": list(i.aliases),
                   "surcharge_pence": i.surcharge_pence} for i in ACCEPTED],
        "not_accepted": [{"name": n, "advice": a} for n, a in NOT_ACCEPTED.items()],
    }


def _resolve(name: str) -> BulkyItem:
    key = " ".join(name.lower().split())
    if key in _ACCEPTED_BY_NAME:
        return _ACCEPTED_BY_NAME[key]
    refused = NOT_ACCEPTED_ALIASES.get(key, key)
    if refused in NOT_ACCEPTED:
        raise Problem(422, "item_not_accepted", f"Bulky waste collections do not take {name}.",
                      item=name, advice=NOT_ACCEPTED[refused])
    nearest = process.extract(key, list(_ACCEPTED_BY_NAME), scorer=fuzz.WRatio, limit=3,
                              score_cutoff=70)
    raise Problem(422, "unknown_item", f"'{name}' is not on the bulky waste price list.",
                  item=name,
                  suggestions=sorted({_ACCEPTED_BY_NAME[m].name for m, _s, _i in nearest}))


def quote(items: list[tuple[str, int]]) -> dict:
    """Price a list of (item, quantity); several lines of the same item are added together."""
    counts: dict[str, int] = {}
    surcharge = 0
    for name, quantity in items:
        item = _resolve(name)
        counts[item.name] = counts.get(item.name, 0) + quantity
        surcharge += item.surcharge_pence * quantity
    total_items = sum(counts.values())
    if total_items > MAX_ITEMS:
        raise Problem(422, "too_many_items", f"One booking takes at most {MAX_ITEMS} items; "
                      "please make a second booking for the rest.", max_items=MAX_ITEMS)
    price = BASE_CHARGE_PENCE + max(0, total_items - BASE_ITEMS) * EXTRA_ITEM_PENCE + surcharge
    return {"items": [{"item": n, "quantity": q} for n, q in counts.items()],
            "item_count": total_items, "price_pence": price}


def slots(session: Session, uprn: str, now: datetime) -> list[dict]:
    """Round days at the property from a few working days ahead, with places left."""
    address = get_property(session, uprn)
    weekday = WEEKDAYS.index(address.collection_day)
    first = add_working_days(now.date(), NOTICE_WORKING_DAYS)
    first += timedelta(days=(weekday - first.weekday()) % 7)
    dates = [first + timedelta(weeks=w) for w in range(SLOT_WEEKS)]
    dates = [d for d in dates if bank_holiday(d) is None]
    booked = dict(session.execute(
        select(BulkyBooking.collection_date, func.count())
        .where(BulkyBooking.collection_date.in_(dates))
        .group_by(BulkyBooking.collection_date)).all())
    return [{"date": d, "remaining": SLOT_CAPACITY - booked.get(d, 0),
             "available": booked.get(d, 0) < SLOT_CAPACITY} for d in dates]


def book(session: Session, uprn: str, slot_date: date, items: list[tuple[str, int]],
         now: datetime) -> BulkyBooking:
    priced = quote(items)
    offered = {s["date"]: s for s in slots(session, uprn, now)}
    if slot_date not in offered:
        raise Problem(422, "invalid_slot", f"{slot_date} is not a bulky waste slot for this "
                      "property.", offered=[str(d) for d in offered])
    if not offered[slot_date]["available"]:
        raise Problem(409, "slot_full", f"{slot_date} is fully booked; please choose another "
                      "date.", available=[str(d) for d, s in offered.items() if s["available"]])
    booking = BulkyBooking(
        reference=new_reference(session, BulkyBooking, "BW"), uprn=uprn,
        collection_date=slot_date, items=priced["items"], price_pence=priced["price_pence"],
        booked_at=now,
    )
    session.add(booking)
    session.flush()
    return booking


def get_booking(session: Session, reference: str) -> BulkyBooking:
    booking = session.get(BulkyBooking, reference)
    if booking is None:
        raise Problem(404, "unknown_reference", f"No bulky waste booking {reference}.")
    return booking
