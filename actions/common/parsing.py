"""Pure helpers that read what residents type: postcodes, account numbers, money."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

_POSTCODE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?)\s*([0-9][A-Z]{2})$")
_POSTCODE_IN_TEXT = re.compile(r"\b([A-Za-z]{1,2}[0-9][A-Za-z0-9]?)\s*([0-9][A-Za-z]{2})\b")
_ACCOUNT = re.compile(r"^5\d{8}$")


def normalise_postcode(raw: str | None) -> str | None:
    """`an11aa`, ` AN1  1AA ` -> `AN1 1AA`; None when it is not a well-formed UK postcode."""
    if not raw:
        return None
    match = _POSTCODE.match(raw.strip().upper())
    return f"{match.group(1)} {match.group(2)}" if match else None


def find_postcode(text: str | None) -> str | None:
    """The first well-formed postcode inside free text, normalised."""
    if not text:
        return None
    for match in _POSTCODE_IN_TEXT.finditer(text):
        postcode = normalise_postcode(f"{match.group(1)} {match.group(2)}")
        if postcode:
            return postcode
    return None


def normalise_account_number(raw: str | None) -> str | None:
    """`5000 0000 1` -> `500000001`; None unless it is 9 digits starting with 5."""
    if not raw:
        return None
    digits = re.sub(r"[\s-]", "", str(raw))
    return digits if _ACCOUNT.match(digits) else None


def format_money(amount: Decimal | float | int | str) -> str:
    """`1234.5` -> `£1,234.50`; negative amounts (credit) keep their sign."""
    value = Decimal(str(amount)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    sign = "-" if value < 0 else ""
    return f"{sign}£{abs(value):,.2f}"
