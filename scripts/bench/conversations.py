"""Scripted resident conversations the load test plays, and how a reply is checked.

Plain Python with no imports from the project, so both the Locust virtual environment
(scripts/bench/locustfile.py) and the project's tests can load it. A step either types text
or presses a button the previous reply offered; `expect` is a fragment the reply must
contain, so a wrong or apologising answer counts as an error, not as a fast reply.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Step:
    say: str = ""
    press: str = ""  # press the previous reply's first button with this in its title
    expect: str = ""

    def message(self, previous_buttons: list[dict]) -> tuple[str, bool]:
        """What to send and whether it is a button payload."""
        if not self.press:
            return self.say, False
        for button in previous_buttons:
            if self.press.lower() in str(button.get("title", "")).lower():
                return str(button["payload"]), True
        raise ScriptError(f"no {self.press!r} button to press")


@dataclass(frozen=True)
class Script:
    name: str
    weight: int
    steps: tuple[Step, ...]


class ScriptError(Exception):
    """The assistant's reply was not what the script expects."""


def reply_text(messages: list[dict]) -> str:
    return "\n".join(str(m.get("text") or "") for m in messages)


def reply_buttons(messages: list[dict]) -> list[dict]:
    return [b for m in messages for b in (m.get("buttons") or []) if isinstance(b, dict)]


def check(step: Step, messages: list[dict]) -> None:
    text = reply_text(messages)
    if step.expect and step.expect.lower() not in text.lower():
        raise ScriptError(f"expected {step.expect!r} in the reply, got {text[:160]!r}")


# The project's residents (docs/contract.md sections 1 and 3: intents and demo data).
RESIDENT_SCRIPTS: tuple[Script, ...] = (
    Script("bin_day", 3, (
        Step("when is my bin day", expect="postcode"),
        Step("AN1 1AA"),  # the addresses come back as buttons
        Step(press="1 Acacia Avenue", expect="Collections at 1 Acacia Avenue"),
    )),
    Script("council_tax_balance", 2, (
        Step("how much council tax do I owe", expect="account number"),
        Step("500000001", expect="surname"),
        Step("Example", expect="postcode"),
        Step("AN1 1AA", expect="band C"),
    )),
    Script("band_lookup", 2, (
        Step("what council tax band is my house", expect="postcode"),
        Step("AN2 3CC", expect="bands at AN2 3CC"),
    )),
    Script("which_bin", 2, (
        Step("which bin for a pizza box", expect="pizza box"),
        Step("which bin does a glass jar go in", expect="jar"),
    )),
    Script("faqs", 2, (
        Step("what time should I put my bins out", expect="7am"),
        Step("how do i report fly tipping", expect="fly-tipping"),
        Step("who is my councillor", expect="councillor"),
    )),
    Script("rough_sleeping", 1, (
        Step("someone is sleeping in the bus shelter on Church Lane", expect="immediate danger"),
        Step("no", expect="under 18"),
        Step("no", expect="When did you see them"),
        Step("last night around 11", expect="describe the person"),
        Step("Man about 50, grey beard, blue sleeping bag", expect="leave your name"),
        Step("yes", expect="type your name"),
        Step("Pat Smith, 07700 900123", expect="update"),
        Step("no", expect="Shall I send it"),
        Step("yes", expect="RS-"),
    )),
    Script("small_talk", 3, (
        Step("hiya", expect="automated assistant"),
        Step("what can you help with", expect="council tax"),
        Step("am I talking to a real person?", expect="not a person"),
        Step("cheers"),
        Step("bye"),
    )),
)

# Bare Rasa's `rasa init` assistant (the anchor): its own small mix over the same channel.
ANCHOR_SCRIPTS: tuple[Script, ...] = (
    Script("mood_sad", 2, (
        Step("hello there", expect="How are you?"),
        Step("I am sad", expect="cheer you up"),
        Step("yes", expect="Great, carry on!"),
        Step("goodbye", expect="Bye"),
    )),
    Script("mood_happy", 2, (
        Step("hi", expect="How are you?"),
        Step("I am great", expect="Great, carry on!"),
        Step("bye", expect="Bye"),
    )),
    Script("bot_challenge", 1, (
        Step("are you a bot?", expect="I am a bot"),
        Step("see you later", expect="Bye"),
    )),
)
