"""Every gateway table; import from here so the metadata is complete."""

from bot.db import Base
from bot.web.models.conversation import Conversation, HeldMessage, Message
from bot.web.models.escalation import Escalation, Note
from bot.web.models.staff import AuditEntry, SavedReply, StaffSession, StaffUser

__all__ = [
    "AuditEntry",
    "Base",
    "Conversation",
    "Escalation",
    "HeldMessage",
    "Message",
    "Note",
    "SavedReply",
    "StaffSession",
    "StaffUser",
]
