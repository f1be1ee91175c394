"""A check-then-change of a conversation cannot race on SQLite (where FOR UPDATE does
nothing): a second change waits for the first to commit and then reads its outcome."""

from __future__ import annotations

import threading
import time
from datetime import datetime

from bot.db import make_engine, make_session_factory, session_scope
from bot.migrations import upgrade_to_head
from bot.web.data import conversations as conv_data

NOW = datetime(2026, 12, 1, 10, 30)


def test_second_change_waits_for_the_first_and_sees_its_state(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'gateway.db'}")
    upgrade_to_head(engine)
    factory = make_session_factory(engine)
    with session_scope(factory) as session:
        conv_data.create_conversation(session, "c1", "hash", NOW)
    seen: list[str] = []

    def second() -> None:
        with session_scope(factory) as session:
            seen.append(conv_data.get_conversation(session, "c1", for_update=True).state)

    with session_scope(factory) as session:
        conversation = conv_data.get_conversation(session, "c1", for_update=True)
        assert conversation.state == "bot"
        other = threading.Thread(target=second)
        other.start()
        time.sleep(0.5)
        assert seen == []  # still waiting for this transaction
        conv_data.set_state(session, conversation, "waiting_for_staff", NOW)
    other.join(timeout=10)
    assert seen == ["waiting_for_staff"]
