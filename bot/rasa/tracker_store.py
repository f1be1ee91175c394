"""Rasa's SQL tracker store, made to forget what a resident typed once their report is made.

Actions ask for redaction with the custom payload the gateway already obeys,
`{"redact": {"resident_messages": n, "reason": ...}}` (actions/common/payloads.py). When a save
brings one, the stored events of that journey are rewritten in place: from the n-th last
resident message up to the action that asked, which is left alone, so its reference message
stays. In between, the resident's words become "[redacted]": message texts, entity values,
slot values that are text, and the bot's replies (they read details back; their buttons and
custom payloads, such as a hand-off's summary, are dropped). Intents, action
names, slot names and the order of events are kept, so the conversation carries on as before.

A payload may also name slots whose values are blanked in every earlier event (a council tax
journey's account number and token, set again after it while verification lasts) and ask for
the replies of its own turn to go too (see `Redact`).

Rows are updated, never deleted or added: Rasa's `save()` appends only the events beyond the
number already stored. SQLite overwrites the old text in the file (`secure_delete`); PostgreSQL
keeps the old row versions until (auto)vacuum reclaims them.

endpoints.yml: `tracker_store: {type: bot.rasa.tracker_store.RedactingSQLTrackerStore, ...}`
with the same keys as Rasa's `SQL` type. Rasa falls back to an in-memory store, with only a
warning, if this module cannot be imported; tests/bot/rasa/test_tracker_store.py loads it from
both endpoint files.
"""

from __future__ import annotations

import copy
import json
import logging
from collections.abc import Iterator
from typing import Any

import sqlalchemy as sa
import sqlalchemy.exc
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import BotUttered, Event
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy.orm import Session

from actions.common.payloads import REDACTED, Redact, blanked_by_redaction

__all__ = ["REDACTED", "RedactingSQLTrackerStore", "journey_span", "redact_event"]
ENTITY_KEYS = ("entity", "role", "group", "extractor")

# Conversation ids and counts only: never an event's content.
logger = logging.getLogger(__name__)


def redaction_asked(event: dict[str, Any]) -> Redact | None:
    """The redaction asked for, when `event` is the bot's `redact` payload."""
    if event.get("event") != "bot":
        return None
    return Redact.from_custom((event.get("data") or {}).get("custom"))


def journey_span(events: list[dict[str, Any]], instruction: int) -> range:
    """The events the `redact` payload at `instruction` covers: from the n-th last resident
    message before it up to the action that sent it (excluded), or with `through_replies` up
    to the payload itself."""
    redact = redaction_asked(events[instruction])
    wanted = redact.resident_messages if redact else 0
    end = instruction if redact and redact.through_replies else next(
        (i for i in range(instruction, -1, -1) if events[i].get("event") == "action"),
        instruction)
    start, found = end, 0
    for index in range(end - 1, -1, -1):
        if found == wanted:
            break
        if events[index].get("event") == "user":
            start, found = index, found + 1
    return range(start, end)


def _redact_entities(entities: Any) -> Any:
    if not isinstance(entities, list):
        return entities
    return [{**{k: e[k] for k in ENTITY_KEYS if k in e}, "value": REDACTED}
            for e in entities if isinstance(e, dict)]


def redact_event(event: dict[str, Any]) -> dict[str, Any]:
    """The event with the resident's words replaced; its kind, intent and names kept."""
    redacted = copy.deepcopy(event)
    kind = redacted.get("event")
    if kind == "user":
        if redacted.get("text"):
            redacted["text"] = REDACTED
        parse_data = redacted.get("parse_data")
        if isinstance(parse_data, dict):
            if parse_data.get("text"):
                parse_data["text"] = REDACTED
            if "entities" in parse_data:
                parse_data["entities"] = _redact_entities(parse_data["entities"])
    elif kind == "entities":
        redacted["entities"] = _redact_entities(redacted.get("entities"))
    elif kind == "bot":
        if redacted.get("text"):
            redacted["text"] = REDACTED
        if any((redacted.get("data") or {}).values()):
            # Buttons name addresses; a hand-off's summary and references repeat the details.
            redacted["data"] = {}
    elif kind == "slot" and blanked_by_redaction(redacted.get("name", ""), redacted.get("value")):
        redacted["value"] = REDACTED
    elif kind == "action" and redacted.get("action_text"):
        redacted["action_text"] = REDACTED
    return redacted


def _overwrite_deleted_text(connection: Any, _record: Any) -> None:
    """Whatever SQLite's build default, an updated row's old text must not stay in the file."""
    connection.execute("PRAGMA secure_delete = ON")


class RedactingSQLTrackerStore(SQLTrackerStore):
    """`SQLTrackerStore` that obeys the `redact` payload in the events it saves (see module)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Rasa builds the engine itself; a failed insert must not log a resident's words.
        self.engine.hide_parameters = True
        # Per conversation, the events the save under way appends (see `_additional_events`).
        self._appending: dict[str, list[Event]] = {}
        if self.engine.dialect.name == "sqlite":
            sa.event.listen(self.engine, "connect", _overwrite_deleted_text)
            self.engine.dispose()  # connections opened so far lack the pragma

    async def save(self, tracker: DialogueStateTracker) -> None:
        try:
            await super().save(tracker)
        finally:
            new_events = self._appending.pop(tracker.sender_id, [])
        if any(isinstance(e, BotUttered) and redaction_asked(e.as_dict()) for e in new_events):
            self._redact_journeys(tracker.sender_id, newest=len(new_events))

    def _additional_events(self, session: Session, tracker: DialogueStateTracker
                           ) -> Iterator[Event]:
        """The events Rasa's `save()` appends, kept for `save` to look through afterwards.

        Rasa counts the stored rows here to find them; keeping its answer spares `save` a
        second count of the same rows. Rasa's lock store lets one save per conversation run.
        """
        new_events = list(super()._additional_events(session, tracker))
        self._appending[tracker.sender_id] = new_events
        return iter(new_events)

    def _redact_journeys(self, sender_id: str, newest: int) -> None:
        """Apply every `redact` payload among the `newest` stored events."""
        try:
            with self.session_scope() as session:
                rows = self._event_query(session, sender_id,
                                         fetch_events_from_all_sessions=True).all()
                events = [json.loads(row.data) for row in rows]
                changed = set()
                for instruction in range(max(len(rows) - newest, 0), len(rows)):
                    redact = redaction_asked(events[instruction])
                    if not redact:
                        continue
                    named = (i for i in range(instruction) if events[i].get("event") == "slot"
                             and events[i].get("name") in redact.slots)
                    for index in sorted({*journey_span(events, instruction), *named}):
                        redacted = redact_event(events[index])
                        if redacted != events[index]:
                            events[index] = redacted
                            rows[index].data = json.dumps(redacted)
                            changed.add(index)
                session.commit()
        except sqlalchemy.exc.SQLAlchemyError as exc:
            # The error's text can quote the event data: name its type only.
            logger.error("Could not redact a finished journey in conversation %s (%s).",
                         sender_id, type(exc).__name__)
            return
        logger.info("Redacted %d stored events in conversation %s.", len(changed), sender_id)
