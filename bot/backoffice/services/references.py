"""The references residents are given for what they report, book or apply for."""

from __future__ import annotations

import secrets

from sqlalchemy.orm import Session


def new_reference(session: Session, model: type, prefix: str) -> str:
    """`PREFIX-` + 6 random digits, unused in `model`: guessing one tells nobody anything."""
    while True:
        reference = f"{prefix}-{secrets.randbelow(900_000) + 100_000}"
        if session.get(model, reference) is None:
            return reference
