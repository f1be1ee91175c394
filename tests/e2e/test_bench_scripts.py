"""The load test's scripted conversations (scripts/bench/conversations.py) are ones the
assistant really has: each is played once over the REST channel of the shared live stack."""

from __future__ import annotations

import uuid

import pytest

from scripts.bench.conversations import RESIDENT_SCRIPTS, check, reply_buttons


@pytest.mark.parametrize("script", RESIDENT_SCRIPTS, ids=[s.name for s in RESIDENT_SCRIPTS])
def test_each_bench_script_gets_the_replies_it_expects(live_stack, script):
    sender = str(uuid.uuid4())
    buttons: list[dict] = []
    for step in script.steps:
        message, _is_button = step.message(buttons)
        reply = live_stack.say(sender, message)
        check(step, reply)
        buttons = reply_buttons(reply)
