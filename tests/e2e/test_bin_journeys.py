"""Every bin journey at every demo address, as a new resident does them over the REST channel
of a real Rasa, checked against the back office's own answers for that property.

One conversation per address: bin day (which saves the address), then a missed bin, a bulky
waste collection and a replacement bin (each reusing the saved address after "Use ... again?",
and declined at the confirmation so nothing is written), then which bin an item goes in.
"""

from __future__ import annotations

import uuid
from datetime import date

import pytest
import requests

from actions.waste.parsing import BIN_LABELS, spoken_date
from actions.waste.replies import charge as pounds
from bot.backoffice.seed.address import ACACIA_AVENUE, BEECH_COURT, CHURCH_LANE
from tests.e2e.live_stack import reply_text as text

# docs/contract.md section 3: every demo address, by postcode.
DEMO_ADDRESSES = [
    *(("AN1 1AA", uprn) for uprn in ACACIA_AVENUE.values()),
    *(("AN1 2BB", uprn) for uprn in BEECH_COURT.values()),
    *(("AN2 3CC", uprn) for uprn in CHURCH_LANE.values()),
]
YES_NO = [{"title": "Yes", "payload": "/affirm"}, {"title": "No", "payload": "/deny"}]


class Resident:
    """One conversation over the REST channel, and the back office to check it against."""

    def __init__(self, stack) -> None:
        self.stack = stack
        self.sender = str(uuid.uuid4())
        token = stack.settings.backoffice_token.get_secret_value()
        self.backoffice = requests.Session()
        self.backoffice.headers["Authorization"] = f"Bearer {token}"

    def says(self, message: str) -> list[dict]:
        return self.stack.say(self.sender, message)

    def office(self, method: str, path: str, **kwargs) -> dict:
        response = self.backoffice.request(method, self.stack.backoffice_url + path, timeout=10,
                                           **kwargs)
        response.raise_for_status()
        return response.json()


def buttons(reply: list[dict]) -> list[dict]:
    return [b for m in reply for b in m.get("buttons") or []]


def asked_to_reuse(reply: list[dict], line1: str) -> None:
    assert reply[-1]["text"] == f"Use {line1} again?", text(reply)
    assert reply[-1]["buttons"] == YES_NO


def bin_day(resident: Resident, postcode: str, uprn: str) -> str:
    """First journey: the address is asked for, then the dates. Returns the address line."""
    assert "postcode" in text(resident.says("when is my bin day"))
    listed = resident.office("GET", "/addresses", params={"postcode": postcode})["addresses"]
    reply = resident.says(postcode)
    assert [b["payload"] for b in buttons(reply)] == [a["uprn"] for a in listed]
    line1 = next(a["line1"] for a in listed if a["uprn"] == uprn)
    found = resident.office("GET", f"/waste/collections/{uprn}")
    today = date.fromisoformat(found["today"])
    lines = []
    for service in found["services"]:
        line = f"- {spoken_date(date.fromisoformat(service['next']['date']), today)}: " \
               f"{service['name'].lower()} ({service['container']})"
        if service["next"]["original_date"]:
            moved_from = date.fromisoformat(service["next"]["original_date"])
            line += f", moved from {spoken_date(moved_from)} because of the " \
                    f"{service['next']['reason']}"
        lines.append(line)
    assert text(resident.says(uprn)) == f"Collections at {found['address']}:\n" \
        + "\n".join(lines) + "\nPlease put your bins out by 7am."
    return line1


def missed_bin(resident: Resident, uprn: str, line1: str) -> None:
    asked_to_reuse(resident.says("my bin wasn't emptied"), line1)
    assert "Which bin wasn't collected?" in text(resident.says("/affirm"))
    found = resident.office("GET", f"/waste/collections/{uprn}")
    service = next(s["service"] for s in found["services"] if s["bin_type"] == "general")
    check = resident.office("GET", "/waste/missed-bins/eligibility",
                            params={"uprn": uprn, "service": service})
    said = text(resident.says("general"))
    day = spoken_date(date.fromisoformat(check["collection_date"]))
    expected = {
        "eligible": f"Your {BIN_LABELS['general']} was due on {day}.",
        "too_early": f"Crews are out until {check['window_opens'][11:16]}",
        "already_reported": check["existing_reference"],
        "crew_reported": f'Our crew recorded "{check["reason"]}" for your '
                         f"{BIN_LABELS['general']} on {day}",
        "too_late": "too late to report this one",
    }[check["code"]]
    assert expected in said
    if check["eligible"]:
        assert "Shall I report it as missed?" in said
        assert text(resident.says("/deny")) == "OK, I haven't reported it."


def bulky_waste(resident: Resident, uprn: str, line1: str) -> None:
    quote = resident.office("POST", "/waste/bulky/quote",
                            json={"items": [{"item": "sofa", "quantity": 1}]})
    reply = resident.says("collect an old sofa")
    assert f"A collection of sofa costs {pounds(quote['price_pence'])}." in text(reply)
    asked_to_reuse(reply, line1)
    slots = resident.office("GET", "/waste/bulky/slots", params={"uprn": uprn})["slots"]
    offered = [{"title": spoken_date(date.fromisoformat(s["date"])), "payload": s["date"]}
               for s in slots if s["available"]][:5]
    reply = resident.says("/affirm")
    assert buttons(reply) == offered, text(reply)
    reply = resident.says(offered[0]["payload"])
    assert f"To confirm: sofa collected from {line1} on {offered[0]['title']}." in text(reply)
    assert "Shall I book it?" in text(reply)
    assert text(resident.says("/deny")) == "OK, I haven't booked anything."


def replacement_bin(resident: Resident, uprn: str, line1: str) -> None:
    asked_to_reuse(resident.says("my bin was stolen"), line1)
    assert "Which container is it?" in text(resident.says("/affirm"))
    options = resident.office("GET", "/waste/containers/options", params={"uprn": uprn})
    black = next(c for c in options["containers"] if c["container"] == "general")
    stolen = next(r for r in black["reasons"] if r["reason"] == "stolen")
    said = text(resident.says("general"))
    if not stolen["available"]:
        assert said == f"Sorry, I can't order that: {stolen['note']}"
        return
    assert f"A {black['label']} (stolen) costs {pounds(stolen['charge_pence'])}." in said
    assert "Shall I order it?" in said
    assert text(resident.says("/deny")) == "OK, I haven't ordered anything."


def which_bin(resident: Resident) -> None:
    match = resident.office("GET", "/waste/items/search", params={"q": "pizza box"})["match"]
    reply = resident.says("which bin for a pizza box")
    if "What's the item?" in text(reply):
        reply = resident.says("pizza box")
    assert text(reply) == f"{match['name'].capitalize()}: {match['bin_label']}. " \
        f"{match['advice']}"


@pytest.mark.parametrize("postcode, uprn", DEMO_ADDRESSES, ids=[u for _, u in DEMO_ADDRESSES])
def test_new_resident_does_every_bin_journey_at_each_demo_address(live_stack, postcode, uprn):
    resident = Resident(live_stack)
    line1 = bin_day(resident, postcode, uprn)
    missed_bin(resident, uprn, line1)
    bulky_waste(resident, uprn, line1)
    replacement_bin(resident, uprn, line1)
    which_bin(resident)
