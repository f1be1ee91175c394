"""Pure helpers for council tax answers: dates, payment days, adults, kinds of move."""

from __future__ import annotations

import re
from datetime import date, timedelta

WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august",
          "september", "october", "november", "december"]
_MONTH = {m: i + 1 for i, m in enumerate(MONTHS)} | {m[:3]: i + 1 for i, m in enumerate(MONTHS)}
_MONTH["sept"] = 9
_ORDINAL_WORDS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "eighth": 8,
                  "fifteenth": 15, "twenty third": 23, "twenty-third": 23, "tenth": 10}
_NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6}
PAYMENT_DAYS = (1, 8, 15, 23)


def _closest(candidates: list[date], today: date) -> date:
    return min(candidates, key=lambda d: abs((d - today).days))


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _nearest_year(month: int, day: int, today: date) -> date | None:
    options = [d for y in (today.year - 1, today.year, today.year + 1)
               if (d := _safe_date(y, month, day))]
    return _closest(options, today) if options else None


def _year(raw: str) -> int:
    year = int(raw)
    return year + 2000 if year < 100 else year


def parse_date(text: str | None, today: date) -> date | None:
    """Residents' dates: "today", "next Friday", "the 3rd", "3/12", "3 December 2026".

    Where a year or month is left out, the closest such date to today is meant.
    """
    if not text:
        return None
    t = text.lower().strip()
    t = re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", t)
    if "today" in t or t in {"now", "right now"}:
        return today
    if "tomorrow" in t:
        return today + timedelta(days=1)
    if "yesterday" in t:
        return today - timedelta(days=1)
    if match := re.search(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b", t):
        return _safe_date(int(match[1]), int(match[2]), int(match[3]))
    if match := re.search(r"\b(\d{1,2})[/.-](\d{1,2})(?:[/.-](\d{2,4}))?\b", t):
        day, month = int(match[1]), int(match[2])
        if match[3]:
            return _safe_date(_year(match[3]), month, day)
        return _nearest_year(month, day, today)
    month_names = "|".join(sorted(_MONTH, key=len, reverse=True))
    match = re.search(rf"\b(\d{{1,2}})\s*(?:of\s+)?({month_names})\w*(?:\s+(\d{{4}}))?", t) \
        or re.search(rf"\b({month_names})\w*\s+(\d{{1,2}})(?:,?\s+(\d{{4}}))?", t)
    if match:
        first, second = match[1], match[2]
        day, month = (int(first), _MONTH[second]) if first.isdigit() else \
            (int(second), _MONTH[first])
        if match[3]:
            return _safe_date(int(match[3]), month, day)
        return _nearest_year(month, day, today)
    for index, name in enumerate(WEEKDAYS):
        if re.search(rf"\b{name}\b", t):
            ahead = (index - today.weekday()) % 7
            if "last" in t:
                return today - timedelta(days=(today.weekday() - index) % 7 or 7)
            if "next" in t and ahead == 0:
                ahead = 7
            return today + timedelta(days=ahead)
    if match := re.fullmatch(r"(?:on |from |the |on the |from the )*(\d{1,2})", t):
        day = int(match[1])
        options = []
        for shift in (-1, 0, 1):
            month_index = today.month - 1 + shift
            year, month = today.year + month_index // 12, month_index % 12 + 1
            if (d := _safe_date(year, month, day)):
                options.append(d)
        return _closest(options, today) if options else None
    return None


def parse_payment_day(text: str | None) -> int | None:
    """"the 15th", "23", "first" -> the day of the month the resident asked for (any day)."""
    if not text:
        return None
    t = text.lower()
    for words, day in sorted(_ORDINAL_WORDS.items(), key=lambda item: -len(item[0])):
        if re.search(rf"\b{words}\b", t):
            return day
    match = re.search(r"\b(\d{1,2})(?:st|nd|rd|th)?\b", t)
    return int(match[1]) if match else None


def parse_adults(text: str | None) -> int | None:
    """"just me" -> 1, "two of us" -> 2, "3" -> 3."""
    if not text:
        return None
    t = text.lower()
    if re.search(r"\b(just me|only me|me only|myself|on my own|alone|live alone|just myself)\b",
                 t):
        return 1
    if t.strip() in {"me", "i do", "one"}:
        return 1
    if match := re.search(r"\b(\d{1,2})\b", t):
        return int(match[1])
    for word, number in _NUMBER_WORDS.items():
        if re.search(rf"\b{word}\b", t):
            return number
    return None


def parse_move_kind(text: str | None) -> str | None:
    """"moving out of Anytown" -> out; "to another house in Anytown" -> within; "into" -> in."""
    if not text:
        return None
    t = text.lower()
    if re.search(r"\b(within|another (house|address|property|flat) in|in the (area|borough)"
                 r"|staying in)\b", t):
        return "within"
    if re.search(r"\b(out|leaving|away|moved out|move out)\b", t):
        return "out"
    if re.search(r"\b(into|in|moving in|moved in|new to|coming to|arriving)\b", t):
        return "in"
    return None


def looks_like_name(text: str, max_words: int = 3) -> bool:
    words = text.split()
    return 0 < len(words) <= max_words and all(re.fullmatch(r"[A-Za-z'\-]+", w) for w in words)


def long_date(value: date) -> str:
    """1 December 2026 (GOV.UK style)."""
    return f"{value.day} {MONTHS[value.month - 1].title()} {value.year}"


def ordinal(day: int) -> str:
    suffix = "th" if 10 <= day % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    return f"{day}{suffix}"
