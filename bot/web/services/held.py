"""Residents' messages kept while Rasa loads its model or restarts, answered in order once it
is ready.

The queue is a table (`held_messages`), so nothing is dropped when a gateway restarts, and a
replica's held messages are answered by whichever gateway drains next. One daemon thread per
gateway process polls Rasa's status while anything is held; it starts when a message is held
and when the gateway starts with messages still waiting. A gateway claims a message before
answering it (a conditional update, so two replicas never both send it to Rasa); a claim older
than the lease, left by a gateway that died mid-answer, is taken over. Only the oldest held
message of a conversation is ever answered, so a conversation's messages keep their order.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from sqlalchemy import delete, exists, func, or_, select, update
from sqlalchemy.orm import sessionmaker

from bot.db import session_scope
from bot.web.models import HeldMessage
from bot.web.rasa import RasaClient, RasaStarting

log = logging.getLogger(__name__)

POLL_SECONDS = 1.0
# After this long the resident gets the apology and the offer of a call-back instead.
GIVE_UP_SECONDS = 300.0
# Longer than one answer can take (the Rasa timeout, plus a resume).
CLAIM_LEASE_SECONDS = 60.0

Answer = Callable[[str, str], None]
GiveUp = Callable[[str], None]


@dataclass(frozen=True)
class _Claimed:
    message_id: int
    conversation_id: str
    rasa_text: str


def _now() -> datetime:
    # Wall-clock time, not the gateway's business clock: leases are compared across processes.
    return datetime.now(timezone.utc).replace(tzinfo=None)


class HeldMessages:
    """The table of held messages and the thread that drains it."""

    def __init__(self, session_factory: sessionmaker) -> None:
        self._session_factory = session_factory
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self.poll_seconds = POLL_SECONDS
        self.give_up_seconds = GIVE_UP_SECONDS
        self.lease_seconds = CLAIM_LEASE_SECONDS

    def holding(self, conversation_id: str) -> bool:
        with session_scope(self._session_factory) as session:
            return bool(session.scalar(select(exists().where(
                HeldMessage.conversation_id == conversation_id))))

    def hold(self, rasa: RasaClient, conversation_id: str, message_id: int, rasa_text: str,
             answer: Answer, give_up: GiveUp) -> None:
        """Keep the message; `answer(conversation_id, rasa_text)` runs once Rasa is ready
        (raising RasaStarting puts it back), `give_up(conversation_id)` if it never is."""
        with session_scope(self._session_factory) as session:
            session.add(HeldMessage(message_id=message_id, conversation_id=conversation_id,
                                    rasa_text=rasa_text, held_at=_now()))
        self.resume(rasa, answer, give_up)

    def resume(self, rasa: RasaClient, answer: Answer, give_up: GiveUp) -> None:
        """Drain whatever is held, if the thread is not already doing so."""
        with self._lock:
            if self._thread is None and self._any_held():
                self._thread = threading.Thread(target=self._run, args=(rasa, answer, give_up),
                                                name="held-messages", daemon=True)
                self._thread.start()

    def _any_held(self) -> bool:
        with session_scope(self._session_factory) as session:
            return session.scalar(select(HeldMessage.message_id).limit(1)) is not None

    def _run(self, rasa: RasaClient, answer: Answer, give_up: GiveUp) -> None:
        while not rasa.closed:
            try:
                with self._lock:
                    if not self._any_held():
                        self._thread = None
                        return
                if rasa.ready():
                    self._drain(answer)
                else:
                    for conversation_id in self._give_up_expired():
                        _safely(give_up, conversation_id)
            except Exception:  # noqa: BLE001 - the database is unreachable: try again shortly
                log.exception("held messages: could not drain the queue")
            time.sleep(self.poll_seconds)
        with self._lock:
            self._thread = None

    def _drain(self, answer: Answer) -> None:
        while (held := self._claim_next()) is not None:
            try:
                _safely(answer, held.conversation_id, held.rasa_text)
            except RasaStarting:
                self._release(held)  # loading again (a new model): wait and retry the same one
                return
            with session_scope(self._session_factory) as session:
                session.execute(delete(HeldMessage).where(
                    HeldMessage.message_id == held.message_id))

    def _claimable(self, now: datetime):  # type: ignore[no-untyped-def]
        return or_(HeldMessage.claimed_at.is_(None),
                   HeldMessage.claimed_at < now - timedelta(seconds=self.lease_seconds))

    def _claim_next(self) -> _Claimed | None:
        """The oldest message that is first in its conversation and nobody is answering."""
        now = _now()
        firsts = select(func.min(HeldMessage.message_id)).group_by(HeldMessage.conversation_id)
        with session_scope(self._session_factory) as session:
            candidates = session.scalars(select(HeldMessage).where(
                HeldMessage.message_id.in_(firsts), self._claimable(now))
                .order_by(HeldMessage.message_id).limit(10)).all()
            for held in candidates:
                taken = session.execute(update(HeldMessage).where(
                    HeldMessage.message_id == held.message_id, self._claimable(now))
                    .values(claimed_at=now)).rowcount
                if taken:
                    return _Claimed(held.message_id, held.conversation_id, held.rasa_text)
        return None

    def _release(self, held: _Claimed) -> None:
        with session_scope(self._session_factory) as session:
            session.execute(update(HeldMessage).where(HeldMessage.message_id == held.message_id)
                            .values(claimed_at=None))

    def _give_up_expired(self) -> list[str]:
        """Conversations whose first held message waited too long; their messages are dropped
        from the queue (the transcript keeps them) and each is given up on exactly once."""
        now = _now()
        deadline = now - timedelta(seconds=self.give_up_seconds)
        gone = []
        with session_scope(self._session_factory) as session:
            expired = session.scalars(select(HeldMessage.conversation_id).where(
                HeldMessage.held_at < deadline, self._claimable(now)).distinct()).all()
            for conversation_id in sorted(expired):
                if session.execute(delete(HeldMessage).where(
                        HeldMessage.conversation_id == conversation_id,
                        self._claimable(now))).rowcount:
                    gone.append(conversation_id)
        return gone


def _safely(function: Callable[..., None], *args: str) -> None:
    try:
        function(*args)
    except RasaStarting:
        raise
    except Exception:  # noqa: BLE001 - one bad conversation must not stop the others
        log.exception("could not answer a held message")
