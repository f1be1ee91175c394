"""The names insights use: services, event kinds, and which intent or journey is which service.

A journey is one of Rasa's forms; it reaches its outcome when its outcome action runs.
"""

from __future__ import annotations

SERVICES = ("council_tax", "waste", "rough_sleeping", "general")
SERVICE_LABELS = {"council_tax": "Council tax", "waste": "Waste and bins",
                  "rough_sleeping": "Rough sleeping", "general": "General"}
CHANNELS = ("web",)

KINDS = (
    "conversation_started",  # the widget opened a chat
    "message",               # a resident message (demand), whoever it went to
    "intent",                # Rasa recognised an intent (name) for a resident message
    "journey_started",       # name = journey (form)
    "journey_step",          # name = journey, detail = the slot the form asked for
    "journey_completed",     # name = journey: its outcome action ran (detail = ward if known)
    "fallback",              # the assistant did not understand (name = intent it fell back from)
    "escalated",             # name = topic, detail = priority, value = 1 if safeguarding
    "staff_first_reply",     # value = seconds from escalation to the first staff reply
    "resolved",              # detail = outcome, value = handling seconds (claim to close)
    "unhelpful",             # a resident pressed "Not helpful"
    "rating",                # value = 1..5, detail = "bot" or "staff" (who resolved)
    "prevention_signal",     # name = signal, counts only (homeless_self, arrears_eviction)
)
# A conversation's service is the highest ranked service of any of its events.
SERVICE_RANK = {"general": 0, "waste": 1, "council_tax": 2, "rough_sleeping": 3}

# Outcome action of each journey, and the service it belongs to.
JOURNEYS = {
    "bin_day_form": ("waste", "action_bin_day"),
    "bin_missed_form": ("waste", "action_bin_missed"),
    "bin_bulky_form": ("waste", "action_bin_bulky"),
    "bin_container_form": ("waste", "action_bin_container"),
    "bin_which_form": ("waste", "action_bin_which"),
    "ct_verification_form": ("council_tax", "action_ct_complete_journey"),
    "ct_details_form": ("council_tax", "action_ct_complete_journey"),
    "rs_report_form": ("rough_sleeping", "action_rs_submit_report"),
}
JOURNEY_LABELS = {
    "bin_day_form": "Bin day", "bin_missed_form": "Missed bin", "bin_bulky_form": "Bulky waste",
    "bin_container_form": "New or replacement bin", "bin_which_form": "Which bin",
    "ct_verification_form": "Council tax account", "ct_details_form": "Council tax band",
    "rs_report_form": "Rough sleeping report",
}
FALLBACK_INTENTS = ("nlu_fallback", "out_of_scope")
FALLBACK_ACTIONS = ("action_default_fallback", "action_two_stage_fallback", "utter_out_of_scope")
# Two or more fallbacks in one conversation is a loop: it is not contained.
FALLBACK_LOOP = 2
PREVENTION_INTENTS = ("homeless_self",)
# Council tax intents that, with eviction or notice mentioned, signal a risk of homelessness.
ARREARS_INTENTS = ("ct_cannot_pay",)
EVICTION_WORDS = ("evict", "eviction", "notice to quit", "section 21", "notice")

_FAQ_SERVICE = {
    "faq/council_tax": "council_tax", "faq/business_rates": "council_tax",
    "faq/bins": "waste", "faq/garden_waste": "waste", "faq/hwrc": "waste",
    "faq/christmas_tree": "waste", "faq/clinical_waste": "waste", "faq/commercial_waste": "waste",
    "faq/assisted_collection": "waste", "faq/recycling": "waste", "faq/fly_tipping": "waste",
}


def service_of_intent(intent: str | None) -> str:
    intent = intent or ""
    if intent.startswith(("ct_",)):
        return "council_tax"
    if intent.startswith("bin_"):
        return "waste"
    if intent in ("rough_sleeper_report", "homeless_self", "rs_details"):
        return "rough_sleeping"
    for prefix, service in _FAQ_SERVICE.items():
        if intent.startswith(prefix):
            return service
    return "general"


def service_of_topic(topic: str | None) -> str:
    """An escalation's topic ("council_tax", "waste", "rough_sleeping", ...) as a service."""
    topic = topic or ""
    for service in SERVICES:
        if topic.startswith(service):
            return service
    if topic.startswith("bin"):
        return "waste"
    if topic.startswith("homeless"):
        return "rough_sleeping"
    return "general"


def service_of_journey(journey: str) -> str:
    return JOURNEYS.get(journey, ("general", ""))[0]
