"""The custom payloads actions send: a handoff to staff and an instruction to redact.

This is the contract between the action server and its readers (docs/contract.md): actions
build a payload and send `payload.message()` as a custom message; the gateway (bot/web) and
Rasa's tracker store (bot/rasa/tracker_store.py) read it back with `from_custom` / `from_dict`,
which accept anything and never raise: unknown keys are dropped and odd values made safe.
Plain stdlib only, so that bot/ can import this one module without the rest of actions/.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, ClassVar, Literal, cast

Priority = Literal["normal", "high", "urgent"]
PRIORITIES: tuple[Priority, ...] = ("normal", "high", "urgent")
# The references staff are shown; an action may send others, which readers drop.
REFERENCE_KEYS = ("uprn", "account_number", "report_reference")
MAX_TOPIC, MAX_SUMMARY, MAX_REFERENCE, MAX_REASON = 60, 2000, 40, 300
DEFAULT_REASON = "Details removed."


@dataclass(frozen=True)
class Handoff:
    """Pass the conversation to council staff: what about, how urgent, and references."""

    KEY: ClassVar[str] = "handoff"

    topic: str
    summary: str
    priority: Priority = "normal"
    safeguarding: bool = False
    references: dict[str, str] = field(default_factory=dict)
    verified: bool = False

    def to_dict(self) -> dict[str, Any]:
        """The `handoff` object; references without a value are left out."""
        return {**asdict(self), "references": {k: v for k, v in self.references.items() if v}}

    def message(self) -> dict[str, Any]:
        """The custom message that carries it: `{"handoff": {...}}`."""
        return {self.KEY: self.to_dict()}

    @classmethod
    def from_dict(cls, raw: Any) -> Handoff:
        """Read a `handoff` object defensively (a missing one is a general, normal handoff)."""
        raw = raw if isinstance(raw, dict) else {}
        refs = raw.get("references") if isinstance(raw.get("references"), dict) else {}
        priority = raw.get("priority") if raw.get("priority") in PRIORITIES else "normal"
        return cls(
            topic=str(raw.get("topic") or "general")[:MAX_TOPIC],
            summary=str(raw.get("summary") or "")[:MAX_SUMMARY],
            priority=cast(Priority, priority),
            safeguarding=raw.get("safeguarding") is True,
            references={k: str(refs[k])[:MAX_REFERENCE] for k in REFERENCE_KEYS if refs.get(k)},
            verified=raw.get("verified") is True,
        )

    @classmethod
    def from_custom(cls, custom: Any) -> Handoff | None:
        """The handoff a custom message carries, if it carries one."""
        if not isinstance(custom, dict) or cls.KEY not in custom:
            return None
        return cls.from_dict(custom[cls.KEY])


# What a redacted value becomes in Rasa's records; slots that describe the dialogue itself.
REDACTED = "[redacted]"
STRUCTURAL_SLOTS = frozenset({"requested_slot", "session_started_metadata"})
MAX_SLOTS = 40


def blanked_by_redaction(name: str, value: Any) -> bool:
    """Whether Rasa's tracker store blanks this slot value in a redacted event."""
    return name not in STRUCTURAL_SLOTS and isinstance(value, (str, list, dict)) and bool(value)


@dataclass(frozen=True)
class Redact:
    """Forget the last `resident_messages` messages the resident typed, saying why.

    `slots`: also blank these slots' values in every earlier event of Rasa's records (the
    action sets again, after this payload, any the conversation still needs).
    `through_replies`: Rasa's records lose the replies sent before this payload in the same
    turn too (they read the details back). `transcript`: the gateway blanks its transcript
    as well (False: Rasa's records only; the transcript is kept for staff, under retention).
    """

    KEY: ClassVar[str] = "redact"

    resident_messages: int
    reason: str = DEFAULT_REASON
    slots: tuple[str, ...] = ()
    through_replies: bool = False
    transcript: bool = True

    def to_dict(self) -> dict[str, Any]:
        """Only what differs from a plain redaction, so older readers see what they knew."""
        extra = {"slots": list(self.slots)} if self.slots else {}
        if self.through_replies:
            extra["through_replies"] = True
        if not self.transcript:
            extra["transcript"] = False
        return {"resident_messages": self.resident_messages, "reason": self.reason, **extra}

    def message(self) -> dict[str, Any]:
        """The custom message that carries it: `{"redact": {...}}`."""
        return {self.KEY: self.to_dict()}

    @classmethod
    def from_dict(cls, raw: Any) -> Redact | None:
        """Read a `redact` object; None unless it names a positive number of messages."""
        count = raw.get("resident_messages") if isinstance(raw, dict) else None
        if not isinstance(count, int) or count <= 0:
            return None
        assert isinstance(raw, dict)
        slots = raw.get("slots") if isinstance(raw.get("slots"), list) else []
        return cls(count, str(raw.get("reason") or DEFAULT_REASON)[:MAX_REASON],
                   tuple(str(s) for s in slots[:MAX_SLOTS]),
                   raw.get("through_replies") is True, raw.get("transcript") is not False)

    @classmethod
    def from_custom(cls, custom: Any) -> Redact | None:
        """The redaction a custom message asks for, if it asks for one."""
        return cls.from_dict(custom.get(cls.KEY) if isinstance(custom, dict) else None)
