"""What the assistant says in a rough sleeping report: read-backs, questions and outcomes.

The fixed safety advice is in domain.yml (`utter_rs_*`, `utter_homeless_*`); this module
holds the words built from what the resident told us.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from rasa_sdk import Tracker

from actions.backoffice.rough_sleeping import CreatedReport

ASK_LOCATION = ("Where exactly did you see them? Please describe the spot, for example "
                "\"the bus shelter outside the library on Church Lane\". Add a postcode or "
                "what3words address if you know it.")
ASK_LOCATION_AGAIN = ("Outreach workers need to find the exact spot at night. Can you tell me "
                      "more: the street name, a shop or landmark nearby, which doorway, or the "
                      "car park level? A postcode or what3words address helps too.")
NOT_ACCEPTED = ("Sorry, the council's system couldn't accept the report automatically. "
                "Nothing you've told me is lost: I'm passing it to a member of staff now.")
UNREACHABLE = ("Sorry, I can't reach the council's rough sleeping system right now. "
               "Nothing you've told me is lost: I'm passing your report to a member of "
               "staff now.")
SOMEONE_ELSE_TOO = ("You also mentioned someone else sleeping rough. The member of staff can "
                    "take details about them too.")


def yes_no(value: Any) -> str:
    return "yes" if value else "no"


def report_details(tracker: Tracker) -> str:
    """The report so far in plain words, for the resident's summary and for staff."""
    slot = tracker.get_slot
    lines = []
    if slot("rs_location"):
        extra = " ".join(v for v in (slot("rs_postcode"), slot("rs_what3words")) if v)
        lines.append(f"Where: {slot('rs_location')}" + (f" ({extra})" if extra else ""))
    if slot("rs_seen_at"):
        lines.append(f"When: {datetime.fromisoformat(slot('rs_seen_at')):%A %-d %B, %H:%M}")
    if slot("rs_person_description"):
        count = int(slot("rs_people_count") or 1)
        people = "1 person" if count == 1 else f"{count} people"
        lines.append(f"Who: {slot('rs_person_description')} ({people})")
    if slot("rs_in_danger") is not None:
        lines.append(f"In immediate danger: {yes_no(slot('rs_in_danger'))}")
    if slot("rs_under_18") is not None:
        lines.append(f"Looks under 18: {yes_no(slot('rs_under_18'))}")
    if slot("rs_contact_consent"):
        contact = ", ".join(v for v in (slot("rs_contact_name"), slot("rs_contact_phone"),
                                        slot("rs_contact_email")) if v)
        lines.append(f"Your contact details: {contact or 'not given yet'}")
        if slot("rs_updates_consent") is not None:
            lines.append(f"Update within 10 working days: {yes_no(slot('rs_updates_consent'))}")
    elif slot("rs_contact_consent") is False:
        lines.append("Your contact details: none (anonymous)")
    return "\n".join(f"- {line}" for line in lines)


def place_noted(location: str, names: list[str]) -> str:
    confirm = f"Thanks. I've noted the place as: \u201c{location}\u201d."
    if names:
        confirm += f" Places I picked out: {', '.join(names)}."
    return confirm + " You can correct it before I send the report."


def seen_at(seen: datetime) -> str:
    return f"Got it: {seen:%A %-d %B} at about {seen:%H:%M}."


def ask_to_send(tracker: Tracker) -> str:
    return f"Here is your report:\n{report_details(tracker)}\nShall I send it to the council?"


def outcome(created: CreatedReport) -> list[str]:
    """The messages that tell the resident their report went, and where."""
    where = created.routed_to.name if created.routed_to.kind == "childrens_services" \
        else f"the {created.routed_to.name}"
    return [f"Thank you. Your report has been sent. Your reference is {created.reference}.",
            f"It goes to {where}.", "\n".join(created.next_steps)]
