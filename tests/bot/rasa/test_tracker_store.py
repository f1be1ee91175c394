"""Rasa's tracker store forgets a report's details once it is made, on SQLite and PostgreSQL."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path

import pytest
import sqlalchemy as sa
from rasa.core.tracker_store import TrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    ActiveLoop,
    BotUttered,
    Event,
    SlotSet,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker, EventVerbosity
from rasa.utils.endpoints import read_endpoint_config
from rasa_sdk import Tracker

from actions.common.redaction import messages_since_action, redaction_payload
from actions.rough_sleeping import REPORT_SLOTS
from bot.rasa.tracker_store import (
    REDACTED,
    RedactingSQLTrackerStore,
    journey_span,
    redact_event,
)
from bot.settings import PROJECT_DIR

POSTGRES = "postgresql://postgres@127.0.0.1:5432/test"
PLACE = "bus shelter opposite the library on Church Lane"
POSTCODE = "AN2 3CC"
DESCRIPTION = "Man about 50, grey beard, blue sleeping bag"
NAME, PHONE = "Pat Smith", "07700 900123"
REFERENCE = "RS-123456"
PERSONAL = (PLACE, "Church Lane", POSTCODE, DESCRIPTION, "grey beard", NAME, "07700")


@pytest.fixture(scope="module")
def domain() -> Domain:
    return Domain.load(str(PROJECT_DIR / "domain.yml"))


@contextmanager
def postgres_schema(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A fresh schema in the CI database, used through Rasa's own POSTGRESQL_SCHEMA."""
    schema = f"tracker_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(POSTGRES, future=True)
    with admin.begin() as connection:
        connection.execute(sa.text(f"CREATE SCHEMA {schema}"))
    monkeypatch.setenv("POSTGRESQL_SCHEMA", schema)
    try:
        yield schema
    finally:
        with admin.begin() as connection:
            connection.execute(sa.text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request, tmp_path: Path, domain: Domain,
          monkeypatch: pytest.MonkeyPatch) -> Iterator[RedactingSQLTrackerStore]:
    if request.param == "sqlite":
        made = RedactingSQLTrackerStore(domain, dialect="sqlite", db=str(tmp_path / "t.db"))
        yield made
        made.engine.dispose()
        return
    with postgres_schema(monkeypatch):
        made = RedactingSQLTrackerStore(domain, dialect="postgresql", host="127.0.0.1",
                                        port=5432, db="test", username="postgres")
        yield made
        made.engine.dispose()


# --- a report as Rasa records it: one save per turn ---------------------------------------

def user(text: str, intent: str, entities: list[dict] | None = None) -> UserUttered:
    return UserUttered(text, {"name": intent, "confidence": 0.95}, entities or [])


def form_turn(answer: UserUttered, *validated: Event, asks: str, question: str) -> list[Event]:
    return [answer, ActionExecuted("rs_report_form"), *validated,
            SlotSet("requested_slot", asks), BotUttered(question),
            ActionExecuted("action_listen")]


def opening_turns() -> list[list[Event]]:
    postcode = {"entity": "postcode", "value": POSTCODE, "start": 56, "end": 63,
                "extractor": "RegexEntityExtractor"}
    return [
        [ActionExecuted("action_listen"), user("hiya", "greet"), ActionExecuted("utter_greet"),
         BotUttered("Hello, I'm Anytown Borough Council's automated assistant."),
         ActionExecuted("action_listen")],
        [user(f"someone is sleeping in the {PLACE} {POSTCODE}", "rough_sleeper_report",
              [postcode]),
         SlotSet("postcode", POSTCODE), ActionExecuted("action_rs_start"),
         BotUttered("Thank you for letting us know. Safety first: call 999..."),
         SlotSet("rs_location", f"in the {PLACE} {POSTCODE}"),
         ActionExecuted("rs_report_form"), ActiveLoop("rs_report_form"),
         SlotSet("rs_postcode", POSTCODE),
         BotUttered(f"Thanks. I've noted the place as: \u201cin the {PLACE}\u201d."),
         SlotSet("requested_slot", "rs_in_danger"),
         BotUttered("Is the person in immediate danger?"), ActionExecuted("action_listen")],
        form_turn(user("no", "deny"), SlotSet("rs_in_danger", False),
                  asks="rs_person_description", question="Please describe the person."),
        form_turn(user(DESCRIPTION, "rs_details"), SlotSet("rs_person_description", DESCRIPTION),
                  SlotSet("rs_people_count", 1.0), asks="rs_contact",
                  question="Please type your name and a phone number or email address."),
        form_turn(user(f"{NAME}, {PHONE}", "rs_details"), SlotSet("rs_contact", "given"),
                  SlotSet("rs_contact_name", NAME), SlotSet("rs_contact_phone", "07700900123"),
                  asks="rs_confirmed", question=f"Here is your report:\n- Where: {PLACE}\n"
                  f"- Who: {DESCRIPTION}\n- Your contact details: {NAME}, 07700900123\n"
                  "Shall I send it to the council?"),
    ]


def submit_turn(tracker: DialogueStateTracker) -> list[Event]:
    """The resident confirms; action_rs_submit_report makes the report and asks to redact."""
    confirm = [user("yes", "affirm"), ActionExecuted("rs_report_form"),
               SlotSet("rs_confirmed", True), ActiveLoop(None), SlotSet("requested_slot", None)]
    for event in confirm:
        tracker.update(event)
    # The count the real action would send, from the tracker it would be given.
    seen_by_action = Tracker.from_dict(tracker.current_state(EventVerbosity.ALL))
    payload = redaction_payload(messages_since_action(seen_by_action, "action_rs_start"),
                                f"Report details removed: sent as {REFERENCE}.")
    return [ActionExecuted("action_rs_submit_report"),
            BotUttered(f"Thank you. Your report has been sent. Your reference is {REFERENCE}."),
            BotUttered(data={"custom": payload}),
            *(SlotSet(slot, None) for slot in REPORT_SLOTS), SlotSet("postcode", None),
            SlotSet("rs_reference", REFERENCE), ActionExecuted("action_listen")]


async def say(store: RedactingSQLTrackerStore, tracker: DialogueStateTracker,
              events: list[Event]) -> None:
    for event in events:
        tracker.update(event)
    await store.save(tracker)


def stored(store: RedactingSQLTrackerStore) -> list[tuple[str, str | None, str | None, str]]:
    with store.engine.connect() as connection:
        return [tuple(row) for row in connection.execute(sa.text(
            "SELECT type_name, intent_name, action_name, data FROM events ORDER BY id"))]


async def reported(store: RedactingSQLTrackerStore, domain: Domain,
                   sender: str = "conversation-1") -> DialogueStateTracker:
    tracker = DialogueStateTracker(sender, domain.slots)
    for turn in opening_turns():
        await say(store, tracker, turn)
    await say(store, tracker, submit_turn(tracker))
    return tracker


# --- behaviour ------------------------------------------------------------------------------

async def test_details_stay_while_the_report_is_being_made(store, domain):
    tracker = DialogueStateTracker("conversation-1", domain.slots)
    for turn in opening_turns():
        await say(store, tracker, turn)
    everything = " ".join(data for *_, data in stored(store))
    assert DESCRIPTION in everything and POSTCODE in everything


async def test_no_stored_event_keeps_the_details_once_the_report_is_made(store, domain):
    await reported(store, domain)
    rows = stored(store)
    for detail in PERSONAL:
        assert not [data for *_, data in rows if detail in data], detail
    assert any(REFERENCE in data and "reference is" in data for *_, data in rows)
    assert any('"hiya"' in data for *_, data in rows)  # before the report: untouched
    if store.engine.dialect.name == "sqlite":  # nor in the file's free space
        store.engine.dispose()
        raw = Path(store.engine.url.database).read_bytes()
        assert DESCRIPTION.encode() not in raw and b"Church Lane" not in raw


async def test_intents_actions_and_order_survive_redaction(store, domain):
    before = DialogueStateTracker("conversation-1", domain.slots)
    for turn in opening_turns():
        for event in turn:
            before.update(event)
    for event in submit_turn(before):
        before.update(event)
    await reported(store, domain)
    rows = stored(store)
    assert [(kind, intent, action) for kind, intent, action, _ in rows] == [
        (e.type_name, e.as_dict().get("parse_data", {}).get("intent", {}).get("name"),
         e.as_dict().get("name")) for e in before.events]


async def test_the_conversation_carries_on_from_the_redacted_record(store, domain):
    await reported(store, domain)
    tracker = await store.retrieve("conversation-1")
    assert tracker is not None
    assert tracker.get_slot("rs_reference") == REFERENCE
    assert tracker.get_slot("rs_person_description") is None
    assert tracker.get_slot("postcode") is None
    assert tracker.active_loop_name is None
    count = len(tracker.events)

    await say(store, tracker, [user("thanks", "thank_you"), ActionExecuted("utter_you_are_welcome"),
                               BotUttered("You're welcome."), ActionExecuted("action_listen")])
    again = await store.retrieve("conversation-1")
    assert again is not None and len(again.events) == count + 4
    assert again.latest_message.text == "thanks"


async def test_other_conversations_are_left_alone(store, domain):
    other = DialogueStateTracker("conversation-2", domain.slots)
    for turn in opening_turns():
        await say(store, other, turn)
    await reported(store, domain, sender="conversation-1")
    kept = await store.retrieve("conversation-2")
    assert kept is not None and kept.get_slot("rs_person_description") == DESCRIPTION


@contextmanager
def reads_of_stored_events(store: RedactingSQLTrackerStore) -> Iterator[list[str]]:
    """The SELECT statements on the events table run while the block runs."""
    reads: list[str] = []

    def note(_conn, _cursor, statement: str, *_args) -> None:  # type: ignore[no-untyped-def]
        if statement.lstrip().upper().startswith("SELECT") and "FROM events" in statement:
            reads.append(statement)

    sa.event.listen(store.engine, "before_cursor_execute", note)
    try:
        yield reads
    finally:
        sa.event.remove(store.engine, "before_cursor_execute", note)


async def test_a_turn_is_saved_with_one_read_of_the_stored_events(store, domain):
    tracker = DialogueStateTracker("conversation-1", domain.slots)
    first, second, *_ = opening_turns()
    await say(store, tracker, first)
    with reads_of_stored_events(store) as reads:
        await say(store, tracker, second)
    assert len(reads) == 1, reads  # Rasa's own count of what is already stored


# --- the pure parts -------------------------------------------------------------------------

def test_span_runs_from_the_nth_last_message_to_the_asking_action():
    payload = {"custom": redaction_payload(2, "Removed.")}
    events = [{"event": "user", "text": "hi"}, {"event": "action", "name": "utter_greet"},
              {"event": "user", "text": "report"}, {"event": "action", "name": "action_rs_start"},
              {"event": "user", "text": "yes"}, {"event": "action", "name": "submit"},
              {"event": "bot", "text": "Reference RS-1"}, {"event": "bot", "data": payload}]
    assert journey_span(events, 7) == range(2, 5)


def test_redacted_events_keep_their_kind_intent_and_names():
    said = UserUttered("by the Co-op AN1 1AA", {"name": "rs_details", "confidence": 0.9},
                       [{"entity": "postcode", "value": "AN1 1AA", "start": 13, "end": 20}])
    redacted = redact_event(said.as_dict())
    assert redacted["text"] == REDACTED and redacted["parse_data"]["text"] == REDACTED
    assert redacted["parse_data"]["intent"]["name"] == "rs_details"
    assert redacted["parse_data"]["entities"] == [{"entity": "postcode", "value": REDACTED}]
    assert redact_event(SlotSet("rs_location", "by the Co-op").as_dict())["value"] == REDACTED
    for kept in (SlotSet("requested_slot", "rs_contact"), SlotSet("rs_in_danger", True),
                 SlotSet("rs_people_count", 2.0), ActionExecuted("rs_report_form")):
        assert redact_event(kept.as_dict()) == kept.as_dict()


# --- both endpoint files load it ------------------------------------------------------------

@pytest.mark.parametrize("endpoints", ["endpoints.yml", "endpoints.scale.yml"])
async def test_both_endpoint_files_use_the_redacting_store(endpoints, domain, tmp_path,
                                                           monkeypatch):
    env = {"ACTION_ENDPOINT_URL": "http://127.0.0.1:9/webhook", "RASA_TOKEN": "token",
           "ACTION_SERVER_TOKEN": "token", "RASA_MODEL_URL": "http://127.0.0.1:9/_rasa/model",
           "RASA_MODEL_PULL_SECONDS": "10",
           "RASA_TRACKER_DB": str(tmp_path / "tracker.db"), "RASA_TRACKER_HOST": "127.0.0.1",
           "RASA_TRACKER_PORT": "5432", "RASA_TRACKER_USER": "postgres",
           "RASA_TRACKER_PASSWORD": "", "RASA_LOCK_REDIS_HOST": "127.0.0.1",
           "RASA_LOCK_REDIS_PORT": "6379", "RASA_LOCK_REDIS_DB": "0"}
    scale = endpoints == "endpoints.scale.yml"
    if scale:
        env.update(RASA_TRACKER_DB="test", RASA_TRACKER_DIALECT="postgresql",
                   RASA_LOCK_STORE_TYPE="redis")
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    with postgres_schema(monkeypatch) if scale else nullcontext():
        config = read_endpoint_config(str(PROJECT_DIR / endpoints), "tracker_store")
        made = TrackerStore.create(config, domain)
        # Rasa falls back to an in-memory store, with only a warning, if the class won't load.
        assert isinstance(made, RedactingSQLTrackerStore)
        assert made.engine.dialect.name == ("postgresql" if scale else "sqlite")
        await reported(made, domain)
        assert not [data for *_, data in stored(made) if DESCRIPTION in data]
        made.engine.dispose()
