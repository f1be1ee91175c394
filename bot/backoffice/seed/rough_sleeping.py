"""The demo council's street outreach teams (one per ward) and its SWEP switch, off at first."""

from datetime import date, datetime, time

from sqlalchemy.orm import Session

from bot.backoffice.models.rough_sleeping import OutreachTeam, SevereWeatherProtocol

NIGHT_HOURS = "most evenings and early mornings, 10pm to 7am"

OUTREACH_TEAMS = [
    {"code": "outreach-central", "name": "Central Street Outreach Team", "ward": "Central",
     "is_default": True, "hours": NIGHT_HOURS},
    {"code": "outreach-northfield", "name": "Northfield Street Outreach Team",
     "ward": "Northfield", "is_default": False, "hours": NIGHT_HOURS},
]


def seed_rough_sleeping(session: Session, today: date) -> None:
    for team in OUTREACH_TEAMS:
        session.add(OutreachTeam(**team))
    session.add(SevereWeatherProtocol(id=1, active=False, reason=None,
                                      updated_at=datetime.combine(today, time.min)))
