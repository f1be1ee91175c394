"""Rules of the gazetteer: the properties at a postcode, one property by UPRN, a postcode's ward."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.backoffice.models import Address
from bot.backoffice.postcodes import normalise_postcode
from bot.http.problems import Problem


def addresses_at(session: Session, postcode: str) -> tuple[str, list[Address]]:
    """The normalised postcode and its properties by UPRN; an unknown postcode has none."""
    normalised = normalise_postcode(postcode)
    if normalised is None:
        raise Problem(422, "invalid_postcode", f"'{postcode}' is not a valid UK postcode.")
    rows = session.scalars(
        select(Address).where(Address.postcode == normalised).order_by(Address.uprn)
    ).all()
    return normalised, list(rows)


def get_address(session: Session, uprn: str, /, **details: Any) -> Address:
    """The property with this UPRN; `details` go into the 404 when there is none."""
    address = session.get(Address, uprn)
    if address is None:
        raise Problem(404, "unknown_uprn", f"No property has UPRN {uprn}.", **details)
    return address


def ward_of_postcode(session: Session, postcode: str | None) -> str | None:
    if not postcode:
        return None
    return session.scalar(
        select(Address.ward).where(Address.postcode == postcode).order_by(Address.uprn).limit(1)
    )
