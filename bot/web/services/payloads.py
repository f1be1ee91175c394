"""Which button payloads a resident may send: only those the chat itself offered.

Rasa reads a message starting with "/" as an intent with entities, so a payload sent verbatim
could fill any slot (`/ct_balance{"account_number": ...}`). A payload is accepted only if it is
one of the buttons the assistant or the gateway offered in this conversation, one of the
welcome's suggestions, or one of the widget's own commands; anything else is refused before
anything is stored or sent to Rasa. Typed text is guarded by `chat.as_typed_text`.
"""

from __future__ import annotations

from bot.web.data import conversations as conv_data
from bot.web.errors import Problem
from bot.web.runtime import Runtime
from bot.web.services import welcome

CALLBACK_PAYLOAD = "/leave_contact_details"
HUMAN_PAYLOAD = "/request_human"
# What bot/web/static/widget.js sends without a button from the assistant: its menu's "Talk to
# a person", and the call-back offer the gateway adds when Rasa is down.
WIDGET_PAYLOADS = frozenset({HUMAN_PAYLOAD, CALLBACK_PAYLOAD})


def require_offered(rt: Runtime, conversation_id: str, payload: str) -> None:
    """422 `payload_not_offered` unless the resident may send `payload` in this chat."""
    if payload in WIDGET_PAYLOADS:
        return
    with rt.transaction() as session:
        offered = conv_data.offered_payloads(session, conversation_id)
    if payload in offered or payload in _welcome_payloads(rt):
        return
    raise Problem(422, "payload_not_offered",
                  "That choice isn't available in this chat. Type your question instead.")


def _welcome_payloads(rt: Runtime) -> set[str]:
    """The suggestions the widget showed before the first message (not stored with the chat):
    the cached welcome's, or, when that has none, the welcome fetched again."""
    with rt.welcome.lock:
        cached = rt.welcome.value or {}
    buttons = cached.get("buttons") or welcome.welcome(rt)["buttons"]
    return {str(b["payload"]).strip() for b in buttons}
