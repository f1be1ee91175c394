"""Personal data never reaches the inbox: patterns, and spaCy's recogniser for names and places."""

from __future__ import annotations

import subprocess
import sys

import pytest

from bot.content.redaction import redact
from bot.settings import PROJECT_DIR


def no_entities(_text: str) -> list[tuple[int, int, str]]:
    return []


@pytest.mark.parametrize("message, expected", [
    ("my postcode is AN1 1AA", "my postcode is <postcode>"),
    ("bins at an12bb weren't emptied", "bins at <postcode> weren't emptied"),
    ("account 500000001 please", "account <account_number> please"),
    ("my account number is 500 000 002", "my account number is <account_number>"),
    ("call me on 07700 900123", "call me on <phone>"),
    ("ring 01234 567890 or +44 7700 900 123", "ring <phone> or <phone>"),
    ("email sam.sample@example.co.uk today", "email <email> today"),
    ("I live at 12 Church Lane", "I live at <address>"),
    ("flat 3 beech court has no bins", "<address> has no bins"),
    ("hi my name is dave smith", "hi my name is <name>"),
    ("i'm called dave and my bins were missed", "i'm called <name> and my bins were missed"),
    ("what time does the tip open on sunday", "what time does the tip open on sunday"),
    ("my card is 4111 1111 1111 1111", "my card is <card_number>"),
    ("sort code 20-00-00 account 12345678",
     "sort code <bank_details> account <bank_details>"),
    ("account 500000001 and UPRN 100000000101", "account <account_number> and UPRN 100000000101"),
])
def test_patterns_remove_contact_and_account_details(message: str, expected: str) -> None:
    assert redact(message, no_entities) == expected


def test_spacy_removes_people_and_places() -> None:
    redacted = redact("I spoke to John Smith about fly tipping in London")

    assert "John" not in redacted and "Smith" not in redacted and "London" not in redacted
    assert "<name>" in redacted and "<place>" in redacted
    assert "fly tipping" in redacted


def test_spacy_does_not_blank_out_council_words() -> None:
    assert redact("bin not collected on tuesday") == "bin not collected on tuesday"


def test_the_recogniser_loads_without_tensorflow():
    """The gateway loads it at start; thinc would otherwise import TensorFlow (0.55 GB)."""
    code = ("import sys; from bot.content.redaction import load_recogniser, redact; "
            "load_recogniser(); print(redact('my name is Dave Smith'), "
            "'tensorflow' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], cwd=PROJECT_DIR, capture_output=True,
                          text=True, timeout=300, check=True)
    assert done.stdout.split() == ["my", "name", "is", "<name>", "False"]
