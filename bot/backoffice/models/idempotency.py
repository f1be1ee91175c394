"""Stored responses of writes, so a retried request with the same Idempotency-Key is replayed."""

from datetime import datetime

from sqlalchemy import Column, DateTime, Integer, String, Text

from bot.backoffice.models.base import Base


class IdempotencyRecord(Base):
    __tablename__ = "idempotency_records"

    key = Column(String(200), primary_key=True)
    request_fingerprint = Column(String(64), nullable=False)
    status_code = Column(Integer, nullable=False)
    response_body = Column(Text, nullable=False)
    created_at = Column(DateTime, nullable=False, default=datetime.utcnow)
