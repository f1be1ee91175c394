"""UK postcode validation and normalisation, shared by every back-office route."""

import re

_POSTCODE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?)\s*([0-9][A-Z]{2})$")


def normalise_postcode(raw: str) -> str | None:
    """`an11aa` -> `AN1 1AA`; None when it is not a well-formed UK postcode."""
    match = _POSTCODE.match(raw.strip().upper())
    if not match:
        return None
    return f"{match.group(1)} {match.group(2)}"
