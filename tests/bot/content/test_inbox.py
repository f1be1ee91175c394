"""The unanswered-questions inbox: stored redacted, grouped, assigned via the checks, dismissed."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session, sessionmaker

from bot.content import inbox
from bot.content.authoring import ChangeRefused, ContentEditor, ContentError
from bot.content.models import InboxItem
from bot.content.store import ContentStore
from bot.db import make_engine, make_session_factory, session_scope
from bot.migrations import upgrade_to_head


def no_entities(_text: str) -> list[tuple[int, int, str]]:
    return []


@pytest.fixture
def factory(tmp_path: Path) -> sessionmaker:
    engine = make_engine(f"sqlite:///{tmp_path / 'gateway.db'}")
    upgrade_to_head(engine)  # the gateway's migrations, including the inbox table
    return make_session_factory(engine)


@pytest.fixture
def session(factory: sessionmaker) -> Iterator[Session]:
    with session_scope(factory) as session:
        yield session


def test_recorded_message_is_stored_redacted(factory: sessionmaker) -> None:
    with session_scope(factory) as session:
        inbox.record(session, "can I get a skip, I'm at AN1 1AA, 07700 900123", "fallback",
                     "conv-1", recognise=no_entities)

    with session_scope(factory) as session:
        stored = session.query(InboxItem).one()
        assert stored.text == "can I get a skip, I'm at <postcode>, <phone>"
        assert (stored.reason, stored.status, stored.conversation_id) == (
            "fallback", "new", "conv-1")


def test_card_numbers_and_bank_details_never_reach_the_inbox(factory: sessionmaker) -> None:
    with session_scope(factory) as session:
        inbox.record(session, "pay with 4111 1111 1111 1111", "unhelpful", "conv-1",
                     recognise=no_entities)
        inbox.record(session, "sort code 20-00-00 account 12345678", "unhelpful", "conv-2",
                     recognise=no_entities)

    with session_scope(factory) as session:
        stored = sorted(item.text for item in session.query(InboxItem))
        assert stored == ["pay with <card_number>",
                          "sort code <bank_details> account <bank_details>"]


def test_buttons_empty_messages_and_repeats_are_not_recorded(session: Session) -> None:
    assert inbox.record(session, "/request_human", "fallback", recognise=no_entities) is None
    assert inbox.record(session, "   ", "unhelpful", recognise=no_entities) is None
    assert inbox.record(session, "skip hire", "fallback", source_key="e1",
                        recognise=no_entities) is not None
    assert inbox.record(session, "skip hire", "fallback", source_key="e1",
                        recognise=no_entities) is None
    with pytest.raises(ValueError):
        inbox.record(session, "hello", "bored")


def test_similar_messages_are_grouped_most_common_first(
    session: Session, editor: ContentEditor,
) -> None:
    for message in ["can i hire a skip", "how do i hire a skip", "where is the nearest tip",
                    "can I hire a skip?", "where's the nearest tip"]:
        inbox.record(session, message, "fallback", recognise=no_entities)

    groups = inbox.open_groups(session, editor)

    assert [len(g.items) for g in groups] == [3, 2]
    assert groups[0].text == "can i hire a skip"
    assert groups[1].suggested_intent == "faq/hwrc_opening_times"


def test_assign_adds_the_example_and_closes_the_group(
    session: Session, editor: ContentEditor, project: Path,
) -> None:
    first = inbox.record(session, "is the tip open at christmas", "unhelpful",
                         recognise=no_entities)
    second = inbox.record(session, "is the tip open over christmas", "fallback",
                          recognise=no_entities)

    inbox.assign(session, editor, [first.id, second.id], "faq/hwrc_opening_times", by="Edie")

    examples = ContentStore(project).load().intents["faq/hwrc_opening_times"].examples
    assert "is the tip open at christmas" in examples
    assert (first.status, second.status) == ("assigned", "assigned")
    assert first.assigned_intent == "faq/hwrc_opening_times" and first.handled_by == "Edie"
    assert inbox.open_groups(session) == []


def test_assign_refused_by_the_checks_changes_nothing(
    session: Session, editor: ContentEditor, project: Path,
) -> None:
    item = inbox.record(session, "noise complaint", "fallback", recognise=no_entities)
    before = (project / "data/nlu/faq.yml").read_text()

    with pytest.raises(ChangeRefused):
        inbox.assign(session, editor, [item.id], "faq/hwrc_opening_times")

    assert item.status == "new"
    assert (project / "data/nlu/faq.yml").read_text() == before


def test_placeholders_must_be_reworded_before_assigning(
    session: Session, editor: ContentEditor,
) -> None:
    item = inbox.record(session, "when is the tip open near AN1 1AA", "fallback",
                        recognise=no_entities)

    with pytest.raises(ContentError, match="placeholder"):
        inbox.assign(session, editor, [item.id], "faq/hwrc_opening_times")
    inbox.assign(session, editor, [item.id], "faq/hwrc_opening_times",
                 example="when is the tip near me open")

    assert item.status == "assigned"


def test_dismiss_and_double_handling(session: Session) -> None:
    item = inbox.record(session, "asdfgh", "fallback", recognise=no_entities)

    inbox.dismiss(session, [item.id], by="Edie")

    assert item.status == "dismissed"
    with pytest.raises(ContentError, match="already been dismissed"):
        inbox.dismiss(session, [item.id])


def test_import_reads_fallbacks_from_rasa_tracker_store_once(
    session: Session, tmp_path: Path,
) -> None:
    tracker = f"sqlite:///{tmp_path / 'tracker.db'}"
    engine = create_engine(tracker, future=True)
    with engine.begin() as connection:
        connection.execute(text(
            "CREATE TABLE events (id INTEGER PRIMARY KEY, sender_id TEXT, type_name TEXT, "
            "timestamp REAL, intent_name TEXT, action_name TEXT, data TEXT)"))
        for sender, intent, message in [("a", "nlu_fallback", "skip hire at AN2 3CC"),
                                        ("b", "greet", "hello"),
                                        ("c", "nlu_fallback", "allotment waiting list")]:
            connection.execute(text(
                "INSERT INTO events (sender_id, type_name, intent_name, data) "
                "VALUES (:s, 'user', :i, :d)"), {"s": sender, "i": intent,
                                                 "d": json.dumps({"text": message})})
    engine.dispose()

    assert inbox.import_fallbacks(session, tracker, recognise=no_entities) == 2
    assert inbox.import_fallbacks(session, tracker, recognise=no_entities) == 0
    texts = sorted(i.text for i in session.query(InboxItem))
    assert texts == ["allotment waiting list", "skip hire at <postcode>"]
