"""Masks payment-card numbers, bank details and secrets in text shown to staff.

Names and addresses stay visible: the agent handling the case needs them.
"""

from __future__ import annotations

import re

MASK = "[hidden]"

_CARD = re.compile(r"(?<!\d)(?:\d[ -]?){12,18}\d(?!\d)")
_SORT_CODE = re.compile(r"(?<!\d)\d{2}[- ]\d{2}[- ]\d{2}(?![\d-])")
_IBAN = re.compile(r"\bGB\d{2}\s?[A-Z]{4}(?:\s?\d){14}\b", re.IGNORECASE)
_BANK_ACCOUNT = re.compile(
    r"\b((?:bank\s+)?account(?:\s+(?:number|no\.?))?(?:\s+is)?[:\s]+)(\d{8})\b", re.IGNORECASE
)
_LABELLED_SECRET = re.compile(
    r"\b(password|passcode|pin|cvv|cvc|security\s+code|memorable\s+word)(\s*(?:is|:)?\s*)(\S+)",
    re.IGNORECASE,
)


def _luhn_ok(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def _mask_card(match: re.Match) -> str:
    digits = re.sub(r"\D", "", match.group(0))
    if 13 <= len(digits) <= 19 and _luhn_ok(digits):
        return f"[card ending {digits[-4:]}]"
    return match.group(0)


def mask_secrets(text: str) -> str:
    text = _CARD.sub(_mask_card, text)
    text = _IBAN.sub(MASK, text)
    text = _SORT_CODE.sub(MASK, text)
    text = _BANK_ACCOUNT.sub(lambda m: m.group(1) + MASK, text)
    return _LABELLED_SECRET.sub(lambda m: m.group(1) + m.group(2) + MASK, text)
