"""Pure helpers for rough sleeping reports: places, times seen, contact details, safety words."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime, timedelta

_WORD_NUMBERS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
}
_NUMBER = r"(\d{1,2}|" + "|".join(_WORD_NUMBERS) + ")"

# Places an outreach worker can walk to at night.
_SPOT = re.compile(
    r"\b(doorways?|door|shelter|bus stop|bench|tent|car ?park|multi-?storey|level \d|stair"
    r"(well|s)?|underpass|subway|bridge|station|entrance|exit|church|library|park|garage|"
    r"alley(way)?|arcade|cash ?machine|atm|shop|store|centre|precinct|canal|towpath|river|"
    r"playground|cemetery|graveyard|outside|behind|opposite|next to|corner of|back of|"
    r"under|beside|near the \w+ (of|on|at))\b",
    re.IGNORECASE,
)
_STREET = re.compile(
    r"\b[A-Z][a-z]+(?: [A-Z][a-z]+)? (Street|St|Road|Rd|Lane|Ln|Avenue|Ave|Way|Close|Drive|"
    r"Place|Square|Terrace|Row|Crescent|Parade|Hill|Walk|Court|Gardens|Grove|Mews|Green|Park)\b"
)
_NAMED_PLACE = re.compile(r"\b(outside|behind|opposite|by|near|next to|in) (the )?[A-Z][\w']+")
_W3W = re.compile(r"(?:///)?\b([a-z]+)\.([a-z]+)\.([a-z]+)\b", re.IGNORECASE)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
_PHONE = re.compile(r"(\+44\s?|\b0)(\d[\d\s-]{8,12}\d)\b")
_NAME = re.compile(
    r"\b(?:my name is|i'm|i am|name:?|it's|this is)\s+([A-Z][a-z'-]+(?: [A-Z][a-z'-]+)?)"
)

_DANGER = re.compile(
    r"\b(not breathing|unconscious|unresponsive|won'?t wake|can'?t wake|collapsed|bleeding|"
    r"overdose|od'?d|seizure|fitting|hypothermi\w*|freezing to death|being attacked|assaulted|"
    r"beaten|stabbed|in danger|dying|ambulance|emergency)\b",
    re.IGNORECASE,
)
_CHILD = re.compile(
    r"\b(child|children|kid|kids|teen|teens|teenage|teenager|teenagers|boy|girl|under 18|"
    r"under eighteen|(1[0-7]|thirteen|fourteen|fifteen|sixteen|seventeen) ?(years? old|yo)|"
    r"(aged|only|look(s|ed)?)( about| around| like)? (1[0-7]|thirteen|fourteen|fifteen|sixteen|"
    r"seventeen)|young lad|"
    r"school ?(kid|boy|girl|uniform))\b",
    re.IGNORECASE,
)
_SELF_HOMELESS = re.compile(
    r"\b(i'?m|i am|we'?re|we are|i've been|we've been|i'?ll be|i will be|i have|i've got|"
    r"i'?m going to be|we'?re going to be)\b[^.?!]{0,40}\b(homeless|evicted|nowhere to "
    r"(sleep|stay|go|live)|sleeping rough|on the streets|kicked out|no home)\b",
    re.IGNORECASE,
)
_SOMEONE_ELSE = re.compile(
    r"\b(someone else|somebody else|another (person|man|woman|guy|lady|bloke)|there'?s "
    r"(a|an|someone|somebody)|a (man|woman|guy|lady|bloke|couple) (is |was )?(sleeping|in the)|"
    r"someone (sleeping|in the|outside))\b",
    re.IGNORECASE,
)
# "What do you mean?": the resident asks about the question instead of answering it.
_ASKS_WHAT_WE_MEAN = re.compile(
    r"^\W*((sorry|oh|um+|erm+)\W+)?(what( do| did)? (you|u) mean|what does that mean|"
    r"what\?*$|meaning\?|(sorry|pardon|huh|eh|come again|you what)\W*$|"
    r"(i )?(don'?t|do not) (understand|get it)|not sure what (you|u) mean|"
    r"what (is|was) the question|(can|could) (you|u) (explain|repeat|say)|explain|repeat|"
    r"say (that|it) again)",
    re.IGNORECASE,
)
_UNSURE = re.compile(
    r"\b(not sure|unsure|don'?t know|do not know|dunno|can'?t tell|cannot tell|couldn'?t tell|"
    r"no idea|hard to (say|tell)|maybe|might be|possibly|could be|not certain)\b",
    re.IGNORECASE,
)


def location_names(entities: Iterable[dict], text: str = "") -> list[str]:
    """Place names to confirm back: spaCy FAC/GPE/LOC entities plus street names in the text."""
    names: list[str] = []
    for entity in entities:
        if entity.get("entity") in {"FAC", "GPE", "LOC"} and entity.get("value"):
            names.append(str(entity["value"]))
    names.extend(match.group(0) for match in _STREET.finditer(text or ""))
    unique: list[str] = []
    for name in names:
        if not any(name.lower() in other.lower() for other in unique):
            unique = [u for u in unique if u.lower() not in name.lower()] + [name]
    return unique


_SLEEPING = re.compile(
    r"\b(sleeping rough|sleeping|asleep|kipping|living|bedded down|bedding down|camping)\s+(?=("
    r"in|on|at|by|under|behind|outside|near|next|opposite|inside|round)\b)",
    re.IGNORECASE,
)


# Where the place clause ends: "in the doorway of Boots, he looks really ill".
_CLAUSE_END = re.compile(r"\s*(?:[,;.!?]|\band (?:he|she|they|it)\b|\bwho\b)", re.IGNORECASE)


def spot_in(report: str) -> str:
    """The place part of a report: "someone is sleeping in the bus shelter on High Street, he
    looks ill" -> "in the bus shelter on High Street"; the whole text when there is no such
    clause."""
    match = _SLEEPING.search(report or "")
    if not match:
        return (report or "").strip()
    spot = _CLAUSE_END.split(report[match.end():], maxsplit=1)[0].strip()
    return spot or report.strip()


def is_specific_location(text: str, entities: Iterable[dict] = ()) -> bool:
    """Specific enough to find at night: a spot (doorway, shelter, car park...) plus a named
    street, place or landmark; or a what3words address. "In town" or a bare street is vague."""
    if not text:
        return False
    if find_what3words(text):
        return True
    # "Church Lane" names a street, not a spot on it.
    has_spot = bool(_SPOT.search(_STREET.sub(" ", text)))
    has_name = bool(location_names(entities, text) or _NAMED_PLACE.search(text))
    return has_spot and (has_name or len(text.split()) >= 6)


def find_what3words(text: str | None) -> str | None:
    """`///filled.count.soap` (slashes optional) -> `///filled.count.soap`; emails don't count."""
    if not text:
        return None
    for match in _W3W.finditer(text):
        before = text[: match.start()]
        if before.endswith("@") or "@" in text[match.start(): match.end() + 1]:
            continue
        if match.group(0).startswith("///") or len(match.group(0)) >= 8:
            return "///" + ".".join(word.lower() for word in match.groups())
    return None


_CLOCK = re.compile(
    r"(?P<prefix>\b(?:at|around|about|roughly|approx|gone|after|before)\s+)?"
    r"\b" + _NUMBER + r"(?:[:.](?P<minute>\d{2}))?\s*(?P<suffix>am|pm|a\.m\.|p\.m\.|o'?clock)?"
    r"(?![\w/])"
)


def _hour_in(text: str) -> tuple[int, int, str | None] | None:
    """(hour, minute, "am"/"pm"/None) of a clock time in the text, if any."""
    if "midnight" in text:
        return 0, 0, "am"
    if re.search(r"\b(noon|midday)\b", text):
        return 12, 0, "pm"
    half = re.search(r"\bhalf (past )?" + _NUMBER + r"\b", text)
    if half:
        return _as_int(half.group(2)) % 24, 30, None
    for match in _CLOCK.finditer(text):
        if not (match.group("prefix") or match.group("minute") or match.group("suffix")):
            continue  # a bare number ("two men") is not a time
        hour = _as_int(match.group(2))
        minute = int(match.group("minute") or 0)
        if hour > 23 or minute > 59:
            continue
        meridiem = (match.group("suffix") or "").replace(".", "")
        return hour, minute, meridiem if meridiem in ("am", "pm") else None
    return None


def _as_int(word: str) -> int:
    return int(word) if word.isdigit() else _WORD_NUMBERS[word]


_PERIODS = {  # part of day -> (default hour, whether a bare hour means pm)
    "morning": (8, False), "afternoon": (15, True), "evening": (20, True), "night": (23, True),
    "tonight": (20, True), "teatime": (17, True), "lunchtime": (13, True),
}
_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]


def parse_seen_time(text: str | None, now: datetime,
                    time_entities: Iterable[str] = ()) -> datetime | None:
    """When the person was seen, from "last night around 11", "this morning", "2 hours ago".

    `time_entities` are spaCy DATE/TIME texts; they are read the same way as the message.
    None when no time can be understood, or it would be in the future.
    """
    if not text:
        return None
    lowered = " ".join([text, *time_entities]).lower()
    lowered = re.sub(r"\s+", " ", lowered)
    if re.search(r"\b(just now|right now|now|at the moment|currently|a few minutes ago|"
                 r"minutes ago)\b", lowered):
        return now.replace(second=0, microsecond=0)
    ago = re.search(_NUMBER + r"\s*(hours?|hrs?|minutes?|mins?) ago", lowered)
    if ago or re.search(r"\b(an|a) (hour|half hour) ago\b", lowered):
        if ago:
            amount = _as_int(ago.group(1))
            delta = timedelta(hours=amount) if ago.group(2).startswith("h") else timedelta(
                minutes=amount)
        else:
            delta = timedelta(minutes=30) if "half hour" in lowered else timedelta(hours=1)
        return (now - delta).replace(second=0, microsecond=0)

    day = None
    if "yesterday" in lowered or "last night" in lowered:
        day = now.date() - timedelta(days=1)
    elif re.search(r"\b(today|this morning|this afternoon|this evening|tonight|earlier)\b",
                   lowered):
        day = now.date()
    else:
        for index, name in enumerate(_WEEKDAYS):
            if re.search(rf"\b(last |on )?{name}\b", lowered):
                back = (now.weekday() - index) % 7
                day = now.date() - timedelta(days=back)
                break
    period = next((p for p in _PERIODS if re.search(rf"\b{p}\b", lowered)), None)
    clock = _hour_in(lowered)
    if day is None and clock is None and period is None:
        return None
    if clock is None and period is None and "earlier" in lowered:
        return (now - timedelta(hours=1)).replace(second=0, microsecond=0)
    if clock is None:
        hour, minute = (_PERIODS[period][0], 0) if period else (now.hour, 0)
    else:
        hour, minute, meridiem = clock
        if meridiem == "pm" and hour < 12:
            hour += 12
        elif meridiem == "am" and hour == 12:
            hour = 0
        elif meridiem is None and period and _PERIODS[period][1] and 6 <= hour < 12:
            hour += 12  # "last night around 11" is 11pm; "at night about 2" stays 2am
        elif meridiem is None and period is None and hour < 12 and day is None:
            # A bare "around 9": the most recent 9 o'clock, am or pm.
            hour = hour + 12 if (hour + 12) <= now.hour else hour
    if day is None:
        day = now.date()
    seen = datetime(day.year, day.month, day.day, hour % 24, minute)
    if period == "night" and "last night" in lowered and hour < 6:
        seen += timedelta(days=1)  # the small hours of last night fall on today's date
    if seen > now and day == now.date() and clock is not None and period is None:
        seen -= timedelta(days=1)  # "at 11pm" said at 10am means yesterday
    return seen if seen <= now else None


def parse_contact(text: str | None) -> dict[str, str | None]:
    """A name, UK phone number and email address from free text; missing parts are None."""
    text = text or ""
    email = _EMAIL.search(text)
    phone = _PHONE.search(text)
    name = _NAME.search(text)
    phone_digits = None
    if phone:
        digits = re.sub(r"[\s-]", "", phone.group(2))
        candidate = "0" + digits
        phone_digits = candidate if 10 <= len(candidate) <= 11 else None
    if name is None:
        # "Pat Smith, 07700 900123": a leading name before the number or email.
        leading = re.match(r"^\s*([A-Z][a-z'-]+(?: [A-Z][a-z'-]+)?)\s*[,-]", text)
        name = leading
    return {
        "name": name.group(1) if name else None,
        "phone": phone_digits,
        "email": email.group(0).lower() if email else None,
    }


def count_people(text: str | None) -> int:
    """How many people a description mentions: "two men" -> 2, "a couple" -> 2, else 1."""
    lowered = (text or "").lower()
    match = re.search(
        _NUMBER + r" (people|persons|men|women|guys|lads|blokes|ladies|of them|adults|rough "
        r"sleepers)\b", lowered)
    if match:
        return max(1, min(50, _as_int(match.group(1))))
    if re.search(r"\b(a couple|couple of|both of them|pair of)\b", lowered):
        return 2
    if re.search(r"\b(a few|several|group of|a group)\b", lowered):
        return 3
    return 1


def mentions_danger(text: str | None) -> bool:
    return bool(text and _DANGER.search(text))


def mentions_child(text: str | None) -> bool:
    return bool(text and _CHILD.search(text))


def mentions_self_homeless(text: str | None) -> bool:
    return bool(text and _SELF_HOMELESS.search(text))


def mentions_someone_else(text: str | None) -> bool:
    return bool(text and _SOMEONE_ELSE.search(text))


def asks_what_we_mean(text: str | None) -> bool:
    """"What do you mean?", "sorry?", "I don't understand": a question about the question."""
    return bool(text and _ASKS_WHAT_WE_MEAN.search(text.strip()))


def sounds_unsure(text: str | None) -> bool:
    """"Not sure", "can't tell", "maybe": neither yes nor no."""
    return bool(text and _UNSURE.search(text))
