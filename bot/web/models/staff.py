"""Staff users, their sign-in sessions, saved replies and the audit log."""

from __future__ import annotations

from sqlalchemy import JSON, Boolean, Column, DateTime, ForeignKey, Integer, String, Text

from bot.db import Base, BigId

ROLES = ("agent", "editor", "manager", "admin")


class StaffUser(Base):
    __tablename__ = "staff_users"

    id = Column(BigId, primary_key=True, autoincrement=True)
    username = Column(String(80), nullable=False, unique=True)
    display_name = Column(String(120), nullable=False)
    role = Column(String(10), nullable=False)
    password_hash = Column(String(200), nullable=False)
    active = Column(Boolean, nullable=False, default=True)
    failed_logins = Column(Integer, nullable=False, default=0)
    locked_until = Column(DateTime, nullable=True)
    created_at = Column(DateTime, nullable=False)


class StaffSession(Base):
    __tablename__ = "staff_sessions"

    # SHA-256 of the cookie value: a stolen database does not yield working cookies.
    id = Column(String(64), primary_key=True)
    staff_id = Column(BigId, ForeignKey("staff_users.id", ondelete="CASCADE"), nullable=False)
    csrf_token = Column(String(64), nullable=False)
    created_at = Column(DateTime, nullable=False)
    last_seen_at = Column(DateTime, nullable=False)
    expires_at = Column(DateTime, nullable=False)
    ended_at = Column(DateTime, nullable=True)


class SavedReply(Base):
    __tablename__ = "saved_replies"

    id = Column(BigId, primary_key=True, autoincrement=True)
    title = Column(String(120), nullable=False, unique=True)
    text = Column(Text, nullable=False)


class AuditEntry(Base):
    __tablename__ = "audit_entries"

    id = Column(BigId, primary_key=True, autoincrement=True)
    at = Column(DateTime, nullable=False, index=True)
    staff_id = Column(BigId, ForeignKey("staff_users.id"), nullable=True)
    action = Column(String(40), nullable=False)
    escalation_id = Column(BigId, nullable=True, index=True)
    conversation_id = Column(String(32), nullable=True)
    # Identifiers and outcomes only: never message text or residents' contact details.
    detail = Column(JSON, nullable=False, default=dict)
