"""What the assistant says in the bin journeys: collection days, reports, bookings and orders."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from actions.backoffice.waste import (
    BulkyBooking,
    BulkyQuote,
    ContainerOption,
    ContainerRequest,
    MissedBinReport,
    PropertyCollections,
    ServiceCollections,
    WasteItem,
)
from actions.common.parsing import format_money
from actions.waste.parsing import BIN_LABELS, describe_items, spoken_date

NOT_REPORTED = "OK, I haven't reported it."
NOT_ORDERED = "OK, I haven't ordered anything."
NOT_BOOKED = "OK, I haven't booked anything."
ASK_ITEM = "Tell me the item, for example \"which bin for a pizza box?\""
WHICH_BIN = "Sorry, which bin was it: general waste, recycling, food or garden waste?"
ASK_ITEMS = "Please tell me the items, for example \"a sofa and two chairs\"."
NOT_AN_OFFERED_DATE = "Sorry, that isn't one of the dates I can offer."
NO_FREE_DATE = ("Sorry, I can't find a free collection date right now. Would you like a member "
                "of staff to help?")
WHICH_DATE = "Which date would you like?"


def charge(pence: int) -> str:
    """`free`, or the charge in pounds and pence."""
    return "free" if pence == 0 else format_money(Decimal(pence) / 100)


# --- bin day ---------------------------------------------------------------------------------

def collection_lines(found: PropertyCollections, today: date) -> list[str]:
    lines = []
    for service in found.services:
        line = f"- {spoken_date(service.next.date, today)}: {service.name.lower()} " \
               f"({service.container})"
        if service.next.original_date:
            line += f", moved from {spoken_date(service.next.original_date)} because of the " \
                    f"{service.next.reason}"
        lines.append(line)
    return lines


def collections(found: PropertyCollections, today: date) -> str:
    return (f"Collections at {found.address}:\n" + "\n".join(collection_lines(found, today))
            + "\nPlease put your bins out by 7am.")


def no_such_collection(address: str, bin_type: str) -> str:
    return f"{address} doesn't have a {BIN_LABELS[bin_type]} collection."


def next_collection(service: ServiceCollections, today: date, this_week: bool | None) -> str:
    """The next collection of the bin asked about; "Yes, ..." / "No, ..." when `this_week`
    answers a yes-or-no question."""
    next_one = (f"your next {service.name.lower()} ({service.container}) collection "
                f"is {spoken_date(service.next.date, today)}.")
    if this_week is None:
        return next_one[0].upper() + next_one[1:]
    return f"{'Yes' if this_week else 'No'}, {next_one}"


# --- missed bins -----------------------------------------------------------------------------

def cannot_report_missing_service(address: str | None, bin_type: str) -> str:
    return (f"{address or 'This property'} doesn't have a {BIN_LABELS[bin_type]} collection, "
            "so I can't report it as missed.")


def missed_bin_check(code: str, bin_type: str, collection_day: date, window_opens: datetime,
                     next_collection_day: date, reason: str | None = None,
                     existing_reference: str | None = None) -> str:
    """What the back office's missed-bin check (`code`) means for the resident."""
    day, label = spoken_date(collection_day), BIN_LABELS[bin_type]
    if code == "too_early":
        return (f"Your {label} is due to be collected today. Crews are out until "
                f"{window_opens:%H:%M}, so please leave it out and report it after "
                f"{window_opens:%H:%M} if it still hasn't been emptied.")
    if code == "already_reported":
        return (f"The {label} collection on {day} has already been reported as missed. "
                f"The reference is {existing_reference}.")
    if code == "crew_reported":
        return (f"Our crew recorded \"{reason}\" for your {label} on {day}, so "
                "it can't be reported as missed. Please put it out by 7am on your next "
                f"collection day ({spoken_date(next_collection_day)}) with the lid closed.")
    if code == "too_late":
        return (f"Your last {label} collection was on {day}. Missed bins must be "
                "reported by the end of the next working day, so it's too late to report "
                f"this one. Your next collection is {spoken_date(next_collection_day)}.")
    return f"Your {label} was due on {day}."


def missed_bin_reported(report: MissedBinReport) -> str:
    return (f"I've reported your missed collection. Your reference is {report.reference}. "
            f"We'll collect it by {spoken_date(report.collect_by)}; please leave it out until "
            "then.")


def change_unconfirmed(doing: str) -> str:
    """A change whose answer did not come in time: it may have been made, and asking again is
    safe (its Idempotency-Key is the same)."""
    return (f"The waste system is slow to answer, so I can't tell you yet whether I managed to "
            f"{doing}. It may already have been done: if you ask again later it won't be done "
            "twice. Would you like a member of staff to check it for you?")


STAFF_OFFER = [{"title": "Talk to a person", "payload": "/request_human"},
               {"title": "No thanks", "payload": "/deny"}]


def could_not(doing: str, message: str, reference: str | None = None) -> str:
    """The back office refused the change; `reference` is of the open request it would repeat."""
    extra = f" (reference {reference})" if reference else ""
    return f"Sorry, I couldn't {doing}: {message}{extra}"


# --- containers ------------------------------------------------------------------------------

def cannot_order(note: str | None) -> str:
    return f"Sorry, I can't order that: {note}"


def container_quote(option: ContainerOption, reason: str) -> str:
    price = charge(option.charge_pence)
    text = (f"A {option.label} ({reason}) is {price}" if price == "free"
            else f"A {option.label} ({reason}) costs {price}")
    if reason == "damaged":
        text += " (free if our crew damaged it)"
    return f"{text}. It will be delivered within 10 working days."


def container_ordered(request: ContainerRequest) -> str:
    price = charge(request.charge_pence)
    return (f"Done. Your reference is {request.reference}. We'll deliver it by "
            f"{spoken_date(request.deliver_by)}"
            + ("." if price == "free" else f"; the charge of {price} is added to the order."))


# --- which bin -------------------------------------------------------------------------------

def item_advice(item: WasteItem) -> str:
    return f"{item.name.capitalize()}: {item.bin_label}. {item.advice}"


def did_you_mean(query: str) -> str:
    return f"I couldn't find \"{query}\" in our A to Z. Did you mean one of these?"


def item_not_found(query: str) -> str:
    return (f"Sorry, I couldn't find \"{query}\" in our A to Z of waste. Try another "
            "word for it, or ask me to put you through to a member of staff.")


# --- bulky waste -----------------------------------------------------------------------------

def cannot_collect(name: str, advice: str) -> str:
    return f"We can't collect {name}. {advice}"


def items_again(message: str) -> str:
    return f"Sorry, {message} Please tell me the items again."


def not_recognised(unknown: list[str]) -> str:
    return "I didn't recognise: " + ", ".join(unknown) + "."


def bulky_quote(quote: BulkyQuote) -> str:
    return f"A collection of {describe_items(quote.items)} costs {charge(quote.price_pence)}."


def bulky_to_confirm(items: dict[str, int], address: str | None, day: date) -> str:
    return (f"To confirm: {describe_items(items)} collected from "
            f"{address or 'your address'} on {spoken_date(day)}.")


def bulky_booked(booking: BulkyBooking) -> str:
    return (f"Booked: {describe_items(booking.items)} on "
            f"{spoken_date(booking.collection_date)}. Your reference is {booking.reference} and "
            f"the charge is {charge(booking.price_pence)}. Please put the items outside by 7am "
            "on the day.")


def slot_just_filled(day: date) -> str:
    return (f"Sorry, {spoken_date(day)} has just been fully booked. Please ask again to choose "
            "another date.")
