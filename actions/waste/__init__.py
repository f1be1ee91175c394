"""Bin journeys: bin day, missed bins, bulky waste, containers and which bin; their slots.

`bin_outcome` ends a form early: FAILED (the back office failed; staff are offered) or
REFUSED (the form explained why the change can't be made).
"""

FAILED, REFUSED = "failed", "refused"
# What a journey asked, not where the resident lives: cleared when a journey ends, and not
# carried into the next one.
JOURNEY_SLOTS = ("bin_service", "bin_waste_item", "bin_bulky_items", "bin_slot",
                 "bin_container", "bin_container_reason", "bin_confirm", "bin_outcome",
                 "bin_quote", "bin_use_saved_address")
# Slots a journey's opening message can fill through these entities (domain.yml mappings).
ENTITY_SLOTS = {"postcode": "postcode", "bin_type": "bin_service", "waste_item": "bin_waste_item"}
