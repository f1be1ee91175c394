"""Removes personal data from residents' messages before editors (or a database) see them."""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from functools import lru_cache

from bot.payment_details import replace_payment_details
from bot.rasa.assets.nlp_model import resolve_spacy_model
from bot.settings import get_settings

# Card numbers and bank details (bot/payment_details.py) go before these, so none of them takes
# part of one. Order matters: emails before anything that could match inside them, phone
# numbers before account numbers (a phone number has more digits), addresses before the names
# in them.
PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("email", re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")),
    ("postcode", re.compile(
        r"\b(?:[A-Z]{1,2}\d[A-Z\d]?|GIR)\s*\d[A-Z]{2}\b", re.IGNORECASE)),
    ("phone", re.compile(r"(?<![\w])(?:\+44\s?\(?0?\)?\s?|0)\d(?:[\s-]?\d){8,9}\b")),
    ("account_number", re.compile(r"\b\d(?:\s?\d){8}\b")),
    ("address", re.compile(
        r"\b(?:flat\s+\d+\w?,?\s+(?:\d+\w?,?\s+)?|\d+\w?,?\s+)(?:[a-z]+\s+){1,3}"
        r"(?:road|rd|street|st|lane|ln|avenue|ave|close|drive|dr|court|way|crescent|place|"
        r"gardens|terrace|grove|hill|square|row|walk|mews|park)\b",
        re.IGNORECASE)),
    # "my name is dave smith" in lower case, which the recogniser misses; the second word is
    # taken as a surname unless it is a common little word ("i'm called dave and ...").
    ("name", re.compile(
        r"(?<=\bmy name is )[a-z'-]+(?: (?!(?:and|but|or|i|im|my|from|at|in|on|the|a|to|"
        r"about|here|please|with|of|for|is|was)\b)[a-z'-]+)?|"
        r"(?<=\bi'm called )[a-z'-]+(?: (?!(?:and|but|or|i|my|from|at|in|on|the|a|to|"
        r"about|here|please|with|of|for|is|was)\b)[a-z'-]+)?|"
        r"(?<=\bi am called )[a-z'-]+(?: (?!(?:and|but|or|i|my|from|at|in|on|the|a|to|"
        r"about|here|please|with|of|for|is|was)\b)[a-z'-]+)?",
        re.IGNORECASE)),
)
# spaCy entity labels that point at a person or a place someone lives.
NER_LABELS = {"PERSON": "name", "GPE": "place", "LOC": "place", "FAC": "address"}
PLACEHOLDER = re.compile(
    r"<(?:card_number|bank_details|email|postcode|phone|account_number|address|name|place)>")

Recogniser = Callable[[str], list[tuple[int, int, str]]]


def redact(text: str, recognise: Recogniser | None = None) -> str:
    """The message with personal data replaced by placeholders such as <postcode>."""
    text = replace_payment_details(text, lambda _digits: "<card_number>", "<bank_details>")
    for label, pattern in PATTERNS:
        text = pattern.sub(f"<{label}>", text)
    entities = (recognise or spacy_entities)(text)
    for start, end, label in sorted(entities, reverse=True):
        span = text[start:end]
        if PLACEHOLDER.fullmatch(span.strip()) or not span.strip():
            continue
        text = text[:start] + f"<{label}>" + text[end:]
    return re.sub(r"(<\w+>)(?:\s*\1)+", r"\1", text)


def spacy_entities(text: str) -> list[tuple[int, int, str]]:
    """People and places spaCy's named-entity recogniser finds, as (start, end, placeholder)."""
    found = []
    for entity in _pipeline()(text).ents:
        label = NER_LABELS.get(entity.label_)
        # The small model calls some lower-case words people ("bin"); a single lower-case
        # word is only taken as a name when the resident said "my name is ...".
        if label == "name" and len(entity) == 1 and entity.text.islower():
            continue
        if label and not PLACEHOLDER.search(entity.text):
            found.append((entity.start_char, entity.end_char, label))
    return found


def load_recogniser() -> None:
    """Load spaCy's pipeline now, not on the first message redacted: it takes seconds.

    The gateway calls this as it starts, so a resident's first "Not helpful" is not kept
    waiting; elsewhere the pipeline loads on first use.
    """
    _pipeline()


@lru_cache(maxsize=1)
def _pipeline():  # type: ignore[no-untyped-def]
    spacy = _import_spacy()
    return spacy.load(resolve_spacy_model(get_settings().spacy_model),
                      disable=["parser", "lemmatizer"])


def _import_spacy():  # type: ignore[no-untyped-def]
    """spaCy, imported here so what needs only the patterns never pays for it.

    spaCy's thinc imports TensorFlow whenever it is installed (it is, for Rasa) to offer
    TensorFlow layers, which no spaCy pipeline here uses: 0.55 GB in a process that never
    needs TensorFlow otherwise. Hidden while thinc looks for it, unless already loaded.
    """
    if "tensorflow" in sys.modules:
        import spacy

        return spacy
    sys.modules["tensorflow"] = None  # type: ignore[assignment]  # `import` now fails
    try:
        import spacy
    finally:
        del sys.modules["tensorflow"]
    return spacy


def has_placeholder(text: str) -> bool:
    return bool(PLACEHOLDER.search(text))
