"""Finds payment-card numbers and UK bank details in text: the one home of their patterns.

The gateway removes them before a resident's message is stored or sent to Rasa, the content
inbox's redactor replaces them with placeholders and the staff console masks them. Numbers the
council itself asks for stay: a council tax account number (9 digits), a UPRN (12), a phone
number (it starts with 0), a postcode or a date.
"""

from __future__ import annotations

import re
from collections.abc import Callable

CARD_REMOVED = "[card number removed]"
BANK_REMOVED = "[bank details removed]"

# Digits in groups split by single spaces or dashes: "4111 1111 1111 1111", "4111-1111-...".
_DIGIT_RUN = re.compile(r"(?<![\d/.])\d+(?:[ -]\d+)*(?![\d/])")
_GROUP = re.compile(r"\d+")
_IBAN = re.compile(r"\bGB\d{2}\s?[A-Z]{4}(?:\s?\d){14}\b", re.IGNORECASE)
_SORT_DIGITS = r"\d{2}[- ]?\d{2}[- ]?\d{2}"
# "sort code 20-00-00", "sort code: 20 00 00", "sortcode is 200000".
_LABELLED_SORT_CODE = re.compile(
    rf"(\bsort[\s-]?code\b[^\d\n]{{0,20}}?)(?<!\d)({_SORT_DIGITS})(?![\d-])", re.IGNORECASE)
# A sort code followed by an account number, with no words: "20-00-00 12345678".
_SORT_AND_ACCOUNT = re.compile(r"(?<![\d-])\d{2}[- ]\d{2}[- ]\d{2}[\s,/]+\d{8}(?![\d-])")
# A dashed sort code on its own, unless it reads as a date (dd-mm-yy).
_DASHED_SORT_CODE = re.compile(r"(?<![\d/.-])(\d{2})-(\d{2})-\d{2}(?![\d/.-])")
# Eight digits after account wording; a council tax account number has nine, so never matches.
_BANK_ACCOUNT = re.compile(
    r"(\b(?:bank\s+)?(?:account|acct|acc|a/c)(?:\s+(?:number|num|no\.?))?(?:\s+is)?[\s:#]*)"
    r"(?<!\d)(\d{8}|\d{4}[ -]\d{4})(?![ -]?\d)",
    re.IGNORECASE)


def luhn_ok(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def card_spans(text: str) -> list[tuple[int, int, str]]:
    """(start, end, digits) of each payment-card number: 13 to 19 digits passing Luhn's check,
    typed whole or in short groups, never starting with 0 (phone numbers do)."""
    spans = []
    for run in _DIGIT_RUN.finditer(text):
        groups = list(_GROUP.finditer(text, run.start(), run.end()))
        start = 0
        while start < len(groups):
            found = _card_in(groups, start)
            if found is None:
                start += 1
                continue
            end, digits = found
            spans.append((groups[start].start(), groups[end - 1].end(), digits))
            start = end
    return spans


def _card_in(groups: list[re.Match], start: int) -> tuple[int, str] | None:
    """The longest card number starting at `groups[start]`: (index after it, its digits)."""
    for end in range(len(groups), start, -1):
        parts = [g.group(0) for g in groups[start:end]]
        digits = "".join(parts)
        whole_or_short_groups = len(parts) == 1 or all(len(p) <= 6 for p in parts)
        if (13 <= len(digits) <= 19 and digits[0] != "0" and whole_or_short_groups
                and luhn_ok(digits)):
            return end, digits
    return None


def replace_payment_details(text: str, card: Callable[[str], str], bank: str) -> str:
    """`text` with each card number replaced by `card(its digits)` and each sort code, bank
    account number or IBAN by `bank` (account wording such as "sort code" is kept)."""
    for start, end, digits in reversed(card_spans(text)):
        text = text[:start] + card(digits) + text[end:]
    text = _IBAN.sub(bank, text)
    text = _SORT_AND_ACCOUNT.sub(bank, text)
    text = _LABELLED_SORT_CODE.sub(lambda m: m.group(1) + bank, text)
    text = _DASHED_SORT_CODE.sub(lambda m: m.group(0) if _is_date(m) else bank, text)
    return _BANK_ACCOUNT.sub(lambda m: m.group(1) + bank, text)


def _is_date(match: re.Match) -> bool:
    day, month = int(match.group(1)), int(match.group(2))
    return 1 <= day <= 31 and 1 <= month <= 12


def remove_payment_details(text: str) -> str:
    """What a resident typed, with card numbers and bank details taken out for good."""
    return replace_payment_details(text, lambda _digits: CARD_REMOVED, BANK_REMOVED)
