"""Seeds the demo council (Anytown Borough Council) into an empty back-office database."""

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.backoffice.models import Address
from bot.backoffice.seed.address import seed_addresses
from bot.backoffice.seed.council_tax import seed_council_tax
from bot.backoffice.seed.rough_sleeping import seed_rough_sleeping
from bot.backoffice.seed.waste import seed_waste


def seed_demo_council(session: Session, today: date) -> bool:
    """Seed once; returns False when the database already holds the demo council."""
    if session.scalar(select(Address.uprn).limit(1)) is not None:
        return False
    seed_addresses(session)
    seed_council_tax(session)
    seed_rough_sleeping(session, today)
    seed_waste(session)
    return True
