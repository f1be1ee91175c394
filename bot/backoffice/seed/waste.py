"""The demo council's waste data, as fixed in docs/contract.md section 3."""

from sqlalchemy.orm import Session

from bot.backoffice.models.waste import CrewNote, GardenWasteSubscription
from bot.backoffice.seed.address import ACACIA_AVENUE, CHURCH_LANE


def seed_waste(session: Session) -> None:
    session.add(GardenWasteSubscription(uprn=CHURCH_LANE[10], bins=1))
    # A standing note (no date): it always sits on the latest general waste round, so the
    # demo of a refused missed-bin report works whatever the date.
    session.add(CrewNote(uprn=ACACIA_AVENUE[4], service="general", collection_date=None,
                         outcome="not_collected", note="bin not presented"))
