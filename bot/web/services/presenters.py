"""How messages look on the wire, to residents and (masked) to staff; loading a conversation."""

from __future__ import annotations

from sqlalchemy.orm import Session

from bot.web.data import conversations as conv_data
from bot.web.errors import not_found
from bot.web.models import Conversation, Message
from bot.web.services.masking import mask_secrets


def conversation_or_404(session: Session, conversation_id: str, *,
                        for_update: bool = False) -> Conversation:
    conversation = conv_data.get_conversation(session, conversation_id, for_update=for_update)
    if conversation is None:
        raise not_found()
    return conversation


def clean_buttons(raw: object) -> list[dict]:
    """Rasa's buttons as the widget may show them: a title and a payload, both bounded."""
    if not isinstance(raw, list):
        return []
    return [
        {"title": str(b["title"])[:200], "payload": str(b["payload"])[:2000]}
        for b in raw
        if isinstance(b, dict) and b.get("title") and b.get("payload")
    ]


def first_name(display_name: str | None) -> str | None:
    return display_name.split()[0] if display_name else None


def message_json(message: Message, author: str | None = None, *, masked: bool = False) -> dict:
    text = mask_secrets(message.text) if masked else message.text
    return {
        "id": str(message.id),
        "sender": message.sender,
        "text": text,
        "buttons": [{"title": b["title"], "payload": b["payload"]} for b in message.buttons or []],
        "form": message.form,
        # Residents see an agent's first name only; staff see the full display name.
        "author": author if masked else first_name(author),
        "created_at": message.created_at.isoformat() + "Z",
    }
