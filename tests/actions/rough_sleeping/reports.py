"""A complete rough sleeping report's slots, as the form leaves them before it is sent."""

from __future__ import annotations

from datetime import timedelta

from actions.rough_sleeping.forms import now_uk

DESCRIPTION = "Man about 50, grey beard, blue sleeping bag"


def complete_report(**overrides) -> dict:
    seen = (now_uk() - timedelta(hours=2)).isoformat(timespec="minutes")
    slots = {
        "rs_in_danger": False, "rs_under_18": False,
        "rs_location": "Bus shelter opposite the library on Church Lane",
        "rs_postcode": "AN2 3CC", "rs_seen_time": "2 hours ago", "rs_seen_at": seen,
        "rs_person_description": DESCRIPTION, "rs_people_count": 1.0,
        "rs_contact_consent": False, "rs_confirmed": True,
    }
    slots.update(overrides)
    return slots
