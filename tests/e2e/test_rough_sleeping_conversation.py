"""A rough sleeping report end to end on a real Rasa: an unexpected answer is asked again, and
once the report is made Rasa's own tracker store no longer holds what the resident typed."""

from __future__ import annotations

import re
import sqlite3
import uuid

from tests.e2e.test_conversation import texts

PLACE = "the bus shelter opposite the library on Church Lane"
DESCRIPTION = "Man about 50, grey beard, blue sleeping bag"
CONTACT = "Pat Smith, 07700 900123"


def test_report_asks_again_after_an_unexpected_answer_and_leaves_no_details(live_stack):
    sender = str(uuid.uuid4())
    opening = texts(live_stack.say(sender, f"someone is sleeping in {PLACE}"))
    assert "immediate danger" in opening

    other_topic = texts(live_stack.say(sender, "how much council tax do I owe"))
    assert "let me explain" in other_topic and "immediate danger" in other_topic
    assert "couldn't understand" not in other_topic

    for answer, next_question in (("no", "under 18"), ("no", "When did you see them"),
                                  ("last night around 11", "describe the person"),
                                  (DESCRIPTION, "leave your name"), ("yes", "type your name"),
                                  (CONTACT, "update"), ("no", "Shall I send it")):
        assert next_question in texts(live_stack.say(sender, answer)), answer
    done = texts(live_stack.say(sender, "yes"))
    reference = re.search(r"RS-\d{6}", done)
    assert reference, done

    with sqlite3.connect(live_stack.settings.var_dir / "rasa_tracker.db") as db:
        stored = [data for (data,) in db.execute(
            "SELECT data FROM events WHERE sender_id = ?", (sender,))]
    assert stored
    for detail in ("Church Lane", "grey beard", "07700", "Pat Smith"):
        assert not [data for data in stored if detail in data], detail
    assert any(reference.group(0) in data for data in stored)
