"""The rough sleeping system: outreach teams, reports from the public, and the SWEP flag."""

from datetime import datetime

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
)

from bot.backoffice.models.base import Base


class OutreachTeam(Base):
    """A street outreach team covering one ward; the default team takes unmatched reports."""

    __tablename__ = "rs_outreach_teams"

    code = Column(String(40), primary_key=True)
    name = Column(String(120), nullable=False)
    ward = Column(String(60), nullable=False, unique=True)
    is_default = Column(Boolean, nullable=False, default=False)
    # When the team is usually out: residents are told it is mostly at night.
    hours = Column(String(120), nullable=False)


class RoughSleepingReport(Base):
    """One report from a member of the public. Descriptions and contact are personal data."""

    __tablename__ = "rs_reports"

    id = Column(Integer, primary_key=True, autoincrement=True)
    reference = Column(String(9), unique=True, index=True)
    status = Column(String(40), nullable=False)
    created_at = Column(DateTime, nullable=False)

    location_text = Column(Text, nullable=False)
    postcode = Column(String(8))
    latitude = Column(Float)
    longitude = Column(Float)
    what3words = Column(String(100))
    seen_at = Column(DateTime, nullable=False)
    person_description = Column(Text, nullable=False)
    site_description = Column(Text)
    people_count = Column(Integer, nullable=False)
    under_18 = Column(Boolean, nullable=False)
    immediate_danger = Column(Boolean, nullable=False)

    reporter_name = Column(String(120))
    reporter_phone = Column(String(20))
    reporter_email = Column(String(254))
    consent_to_contact = Column(Boolean, nullable=False)
    consent_to_updates = Column(Boolean, nullable=False)

    ward = Column(String(60))
    # "outreach_team" or "childrens_services": under-18s never go to street outreach.
    routed_to_kind = Column(String(30), nullable=False)
    outreach_team_code = Column(String(40), ForeignKey("rs_outreach_teams.code"))
    update_due = Column(Date)


class SevereWeatherProtocol(Base):
    """The single SWEP switch (row id 1): when active, extra emergency beds open tonight."""

    __tablename__ = "rs_swep"

    id = Column(Integer, primary_key=True)
    active = Column(Boolean, nullable=False, default=False)
    reason = Column(String(200))
    updated_at = Column(DateTime, nullable=False, default=datetime.utcnow)

