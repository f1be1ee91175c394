"""The demo council's addresses, as fixed in docs/contract.md section 3."""

from sqlalchemy.orm import Session

from bot.backoffice.models import Address

ACACIA_AVENUE = {n: f"1000000001{n:02d}" for n in (1, 2, 3, 4)}
BEECH_COURT = {n: f"1000000002{n:02d}" for n in range(1, 7)}
CHURCH_LANE = {n: f"1000000003{n:02d}" for n in (10, 12)}


def seed_addresses(session: Session) -> None:
    for number, uprn in ACACIA_AVENUE.items():
        session.add(Address(
            uprn=uprn, line1=f"{number} Acacia Avenue", street="Acacia Avenue", town="Anytown",
            postcode="AN1 1AA", ward="Central", collection_type="kerbside",
            collection_day="Tuesday",
        ))
    for number, uprn in BEECH_COURT.items():
        session.add(Address(
            uprn=uprn, line1=f"Flat {number}, Beech Court, High Street", street="High Street",
            town="Anytown", postcode="AN1 2BB", ward="Central", collection_type="communal",
            collection_day="Thursday",
        ))
    for number, uprn in CHURCH_LANE.items():
        session.add(Address(
            uprn=uprn, line1=f"{number} Church Lane", street="Church Lane", town="Anytown",
            postcode="AN2 3CC", ward="Northfield", collection_type="kerbside",
            collection_day="Friday",
        ))
