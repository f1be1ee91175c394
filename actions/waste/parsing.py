"""Pure helpers for the bin journeys: bin types, bulky items, container reasons, dates."""

from __future__ import annotations

import re
from datetime import date

BIN_TYPES = ("general", "recycling", "food", "garden")
BIN_LABELS = {
    "general": "general waste (black bin)",
    "recycling": "recycling (blue bin)",
    "food": "food waste (green caddy)",
    "garden": "garden waste (brown bin)",
}
_BIN_WORDS = (
    ("recycling", r"recycl|blue|paper|plastic|glass|\bcans\b|cardboard"),  # not "can i"
    ("food", r"food|caddy|green"),
    ("garden", r"garden|brown|grass"),
    ("general", r"general|black|rubbish|refuse|household|landfill|grey|gray|residual"),
)
REASONS = ("new", "replacement", "extra", "stolen", "damaged")
_REASON_WORDS = (
    ("stolen", r"stol[ae]n|nicked|taken|pinched|theft"),
    ("damaged", r"damag|broke|crack|split|snapped|lid|wheel|hole"),
    ("extra", r"extra|another|additional|second|more|bigger|larger"),
    ("new", r"\bnew\b|new.?build|moved in|just moved|don'?t have|never had|no bins?"),
    ("replacement", r"replac|lost|missing|gone|disappeared|worn|old"),
)
_CREW_WORDS = r"bin ?m[ae]n|crew|lorry|truck|collectors?|council"
_NUMBERS = {"a": 1, "an": 1, "one": 1, "single": 1, "two": 2, "pair of": 2, "couple of": 2,
            "a couple of": 2, "a pair of": 2, "three": 3, "four": 4, "five": 5, "six": 6,
            "seven": 7, "eight": 8, "nine": 9, "ten": 10}
_SPLIT = re.compile(r",|\band\b|&|\+|\bplus\b|\bwith\b|\balso\b")
_QUANTITY = re.compile(r"^(\d+|a couple of|a pair of|couple of|pair of|an?|one|single|two|"
                       r"three|four|five|six|seven|eight|nine|ten)\s+(?:x\s+)?(.*)$")
_LEADING = re.compile(r"^(?:i(?:'d| would)? (?:need|want|like|have)(?: to)?|can you|could you|"
                      r"please|collect|pick up|get rid of|take away|remove|book|my|some|"
                      r"old|the|an? old|for|of|to)\s+")


def bin_type_in(text: str | None) -> str | None:
    """The bin a resident means ("the blue one" -> recycling); None when unclear."""
    if not text:
        return None
    text = text.lower().strip()
    if text in BIN_TYPES:
        return text
    found = [bin_type for bin_type, words in _BIN_WORDS if re.search(words, text)]
    return found[0] if len(found) == 1 else None


_YES_OR_NO_QUESTION = re.compile(
    r"^\W*(?:so\W+|and\W+)?(?:is|isn'?t|are|aren'?t|do|does|did|will|has|have|should|can)\b",
    re.IGNORECASE)


def asks_yes_or_no(text: str | None) -> bool:
    """ "Is it recycling this week?" wants a yes or a no; "when is the brown bin" does not."""
    return bool(text and _YES_OR_NO_QUESTION.match(text))


def container_reason_in(text: str | None) -> str | None:
    if not text:
        return None
    text = text.lower()
    if text in REASONS:
        return text
    return next((reason for reason, words in _REASON_WORDS if re.search(words, text)), None)


def damaged_by_crew(text: str | None) -> bool:
    return bool(text and re.search(_CREW_WORDS, text.lower()))


def _strip_leading(chunk: str) -> str:
    previous = None
    while previous != chunk:
        previous = chunk
        chunk = _LEADING.sub("", chunk).strip()
    return chunk


def parse_bulky_items(text: str, names: dict[str, str]) -> tuple[dict[str, int], list[str]]:
    """Items and quantities in "a sofa and two chairs": (canonical name -> quantity, unknown).

    `names` maps every name and alias the service knows, lower case, to its canonical name.
    """
    items: dict[str, int] = {}
    unknown: list[str] = []
    by_length = sorted(names, key=len, reverse=True)
    for raw in _SPLIT.split(text.lower()):
        chunk = _strip_leading(re.sub(r"[^a-z0-9' ]", " ", raw).strip())
        chunk = " ".join(chunk.split())
        if not chunk:
            continue
        quantity = 1
        match = _QUANTITY.match(chunk)
        if match:
            word = match.group(1)
            quantity = int(word) if word.isdigit() else _NUMBERS[word]
            chunk = _strip_leading(match.group(2))
        found = next((n for n in by_length if re.search(rf"\b{re.escape(n)}\b", chunk)), None)
        if found is None and chunk.endswith("s"):
            found = next((n for n in by_length if n == chunk[:-1]), None)
        if found is None:
            unknown.append(chunk)
            continue
        canonical = names[found]
        items[canonical] = items.get(canonical, 0) + quantity
    return items, unknown


def describe_items(items: dict[str, int]) -> str:
    parts = [name if quantity == 1 else f"{quantity} x {name}"
             for name, quantity in items.items()]
    return ", ".join(parts[:-1]) + f" and {parts[-1]}" if len(parts) > 1 else parts[0]


def spoken_date(day: date, today: date | None = None) -> str:
    """`Tuesday 22 December`, or `today` / `tomorrow` when it is."""
    if today is not None and day == today:
        return f"today ({day:%A} {day.day} {day:%B})"
    if today is not None and (day - today).days == 1:
        return f"tomorrow ({day:%A} {day.day} {day:%B})"
    return f"{day:%A} {day.day} {day:%B}"
