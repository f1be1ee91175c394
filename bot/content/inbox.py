"""The unanswered-questions inbox: collect, redact, group by similarity, assign or dismiss."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from rapidfuzz import fuzz, process
from sqlalchemy import create_engine, delete, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.content.answers import normalise
from bot.content.authoring import ContentEditor, ContentError, NotFound
from bot.content.models import REASONS, InboxItem
from bot.content.redaction import Recogniser, has_placeholder, redact

# Messages this alike (0-100, word order ignored) are shown as one group.
GROUP_SIMILARITY = 75
MAX_TEXT = 500


@dataclass
class Group:
    """Messages that ask much the same thing, with the intent they look closest to."""

    items: list[InboxItem] = field(default_factory=list)
    suggested_intent: str = ""

    @property
    def text(self) -> str:
        return self.items[0].text

    @property
    def ids(self) -> list[int]:
        return [item.id for item in self.items]


def record(session: Session, message: str, reason: str, conversation_id: str | None = None,
           source_key: str | None = None, recognise: Recogniser | None = None
           ) -> InboxItem | None:
    """Store a message the assistant did not answer well, with personal data removed.

    Button payloads ("/request_human") and empty messages are not questions and are skipped;
    so is a message already recorded under the same source_key.
    """
    if reason not in REASONS:
        raise ValueError(f"reason must be one of {REASONS}")
    message = " ".join(message.split())[:MAX_TEXT]
    if not message or message.startswith("/"):
        return None
    if source_key and session.scalar(select(InboxItem.id).where(
            InboxItem.source_key == source_key)):
        return None
    item = InboxItem(text=redact(message, recognise), reason=reason,
                     conversation_id=conversation_id, source_key=source_key, status="new",
                     received_at=datetime.utcnow())
    session.add(item)
    session.flush()
    return item


def forget(session: Session, source_keys: Sequence[str]) -> int:
    """Delete the items recorded from these sources (their text was since redacted)."""
    if not source_keys:
        return 0
    result = session.execute(
        delete(InboxItem).where(InboxItem.source_key.in_(list(source_keys))))
    return result.rowcount


def open_groups(session: Session, editor: ContentEditor | None = None) -> list[Group]:
    """New messages, most common question first, each with the nearest existing intent."""
    items = session.scalars(
        select(InboxItem).where(InboxItem.status == "new").order_by(InboxItem.received_at)
    ).all()
    groups: list[Group] = []
    keys: list[str] = []
    for item in items:
        key = normalise(item.text)
        match = process.extractOne(key, keys, scorer=fuzz.token_sort_ratio,
                                   score_cutoff=GROUP_SIMILARITY) if keys else None
        if match is None:
            groups.append(Group([item]))
            keys.append(key)
        else:
            groups[match[2]].items.append(item)
    if editor is not None:
        _suggest(groups, editor)
    return sorted(groups, key=lambda g: (-len(g.items), g.items[0].received_at))


def assign(session: Session, editor: ContentEditor, item_ids: Sequence[int], intent: str,
           example: str | None = None, by: str = "") -> list[InboxItem]:
    """Add the message (or the editor's rewording of it) as an example of an intent.

    The example goes through every content check; if it is refused, nothing changes.
    """
    items = _new_items(session, item_ids)
    wording = " ".join((example or items[0].text).split())
    if has_placeholder(wording):
        raise ContentError(
            f'"{wording}" still has a placeholder for removed personal data; reword it '
            "with made-up details (for example AN1 1AA) or leave that part out."
        )
    editor.add_examples(intent, [wording])
    return _close(items, "assigned", by, intent)


def dismiss(session: Session, item_ids: Sequence[int], by: str = "") -> list[InboxItem]:
    return _close(_new_items(session, item_ids), "dismissed", by, None)


def import_fallbacks(session: Session, tracker_db_url: str,
                     recognise: Recogniser | None = None, limit: int = 1000) -> int:
    """Messages Rasa classified as nlu_fallback, read from its SQL tracker store.

    Each event is recorded once (source_key), so running this again only adds new ones.
    """
    engine = create_engine(tracker_db_url, future=True, hide_parameters=True)
    try:
        with engine.connect() as connection:
            rows = connection.execute(text(
                "SELECT id, sender_id, data FROM events WHERE type_name = 'user' "
                "AND intent_name = 'nlu_fallback' ORDER BY id DESC LIMIT :limit"
            ), {"limit": limit}).all()
    finally:
        engine.dispose()
    added = 0
    for row in reversed(rows):
        message = _event_text(row.data)
        key = f"rasa-event:{row.id}"
        try:
            with session.begin_nested():
                if record(session, message, "fallback", row.sender_id, key, recognise):
                    added += 1
        except IntegrityError:  # imported by someone else at the same moment
            continue
    return added


def _event_text(data: str) -> str:
    import json

    try:
        return str(json.loads(data).get("text") or "")
    except (ValueError, AttributeError):
        return ""


def _new_items(session: Session, item_ids: Sequence[int]) -> list[InboxItem]:
    if not item_ids:
        raise ContentError("Choose at least one message.")
    items = session.scalars(select(InboxItem).where(InboxItem.id.in_(list(item_ids)))).all()
    found = {item.id for item in items}
    missing = [i for i in item_ids if i not in found]
    if missing:
        raise NotFound(f"There is no inbox message {missing[0]}.")
    handled = [item for item in items if item.status != "new"]
    if handled:
        raise ContentError(f"Message {handled[0].id} has already been {handled[0].status}.")
    return sorted(items, key=lambda item: item_ids.index(item.id))


def _close(items: list[InboxItem], status: str, by: str, intent: str | None) -> list[InboxItem]:
    now = datetime.utcnow()
    for item in items:
        item.status = status
        item.assigned_intent = intent
        item.handled_by = by or None
        item.handled_at = now
    return items


def _suggest(groups: list[Group], editor: ContentEditor) -> None:
    rows = [(name, normalise(example)) for name, intent in editor.store.load().intents.items()
            for example in intent.examples]
    choices = [row[1] for row in rows]
    for group in groups:
        best = process.extractOne(normalise(group.text), choices, scorer=fuzz.token_ratio,
                                  score_cutoff=60) if choices else None
        group.suggested_intent = rows[best[2]][0] if best else ""
