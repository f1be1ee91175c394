"""The waste system's records: garden subscriptions, crew notes, missed bins, bookings, requests."""

from datetime import date, datetime

from sqlalchemy import JSON, Column, Date, DateTime, Integer, String, UniqueConstraint

from bot.backoffice.models.base import Base


class GardenWasteSubscription(Base):
    __tablename__ = "waste_garden_subscriptions"

    uprn = Column(String(12), primary_key=True)
    bins = Column(Integer, nullable=False, default=1)
    started_on = Column(Date, nullable=False, default=date.today)


class CrewNote(Base):
    """What a crew logged at a property on a round ("bin not presented", "contaminated").

    A note with no `collection_date` is a standing demo note: it applies to whichever
    collection of that service was the most recent, so the demo council never goes stale.
    """

    __tablename__ = "waste_crew_notes"

    id = Column(Integer, primary_key=True, autoincrement=True)
    uprn = Column(String(12), nullable=False, index=True)
    service = Column(String(30), nullable=False)
    collection_date = Column(Date, nullable=True)
    outcome = Column(String(30), nullable=False)
    note = Column(String(200), nullable=False)


class MissedBinReport(Base):
    __tablename__ = "waste_missed_bin_reports"
    __table_args__ = (UniqueConstraint("uprn", "service", "collection_date"),)

    reference = Column(String(9), primary_key=True)
    uprn = Column(String(12), nullable=False, index=True)
    service = Column(String(30), nullable=False)
    collection_date = Column(Date, nullable=False)
    reported_at = Column(DateTime, nullable=False)
    collect_by = Column(Date, nullable=False)


class BulkyBooking(Base):
    __tablename__ = "waste_bulky_bookings"

    reference = Column(String(9), primary_key=True)
    uprn = Column(String(12), nullable=False, index=True)
    collection_date = Column(Date, nullable=False, index=True)
    # [{"item": canonical name, "quantity": n}]: the items are only ever read back whole.
    items = Column(JSON, nullable=False)
    price_pence = Column(Integer, nullable=False)
    booked_at = Column(DateTime, nullable=False, default=datetime.utcnow)


class ContainerRequest(Base):
    __tablename__ = "waste_container_requests"

    reference = Column(String(9), primary_key=True)
    uprn = Column(String(12), nullable=False, index=True)
    container = Column(String(20), nullable=False)
    reason = Column(String(20), nullable=False)
    charge_pence = Column(Integer, nullable=False)
    deliver_by = Column(Date, nullable=False)
    requested_at = Column(DateTime, nullable=False)
