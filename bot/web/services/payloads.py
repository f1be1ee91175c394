"""Which button payloads a resident may send: only those of the buttons just offered.

Rasa reads a message starting with "/" as an intent with entities, so a payload sent verbatim
could fill any slot (`/ct_balance{"account_number": ...}`). A payload goes to Rasa only if it
is one of the buttons the assistant or the gateway offered since the resident's last message
(before the first: the welcome's suggestions), or one of the widget's own commands. Anything
else, an old button pressed late or a forged payload, is dropped and the message goes on as
the text the resident saw on the button, guarded like any typed text (`chat.as_typed_text`).
"""

from __future__ import annotations

from bot.web.data import conversations as conv_data
from bot.web.runtime import Runtime
from bot.web.services import welcome

CALLBACK_PAYLOAD = "/leave_contact_details"
HUMAN_PAYLOAD = "/request_human"
# What bot/web/static/widget.js sends without a button from the assistant: its menu's "Talk to
# a person", and the call-back offer the gateway adds when Rasa is down.
WIDGET_PAYLOADS = frozenset({HUMAN_PAYLOAD, CALLBACK_PAYLOAD})


def is_offered(rt: Runtime, conversation_id: str, payload: str) -> bool:
    """True if the resident may send `payload` now, in this chat."""
    if payload in WIDGET_PAYLOADS:
        return True
    with rt.transaction() as session:
        offered = conv_data.latest_offered_payloads(session, conversation_id)
    return payload in (_welcome_payloads(rt) if offered is None else offered)


def _welcome_payloads(rt: Runtime) -> set[str]:
    """The suggestions the widget showed before the first message (not stored with the chat):
    the cached welcome's, or, when that has none, the welcome fetched again."""
    with rt.welcome.lock:
        cached = rt.welcome.value or {}
    buttons = cached.get("buttons") or welcome.welcome(rt)["buttons"]
    return {str(b["payload"]).strip() for b in buttons}
