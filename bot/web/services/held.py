"""Residents' messages kept while Rasa loads its model, answered in order once it is ready.

One daemon thread per gateway process polls Rasa's status while anything is held. Messages
live in memory only: the resident's text is already in the database, so a gateway restart
loses the pending answer, never the message.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from bot.web.rasa import RasaClient, RasaStarting

log = logging.getLogger(__name__)

POLL_SECONDS = 1.0
# After this long the resident gets the apology and the offer of a call-back instead.
GIVE_UP_SECONDS = 300.0


@dataclass
class _Held:
    conversation_id: str
    message: str
    since: float


class HeldMessages:
    """A first-in, first-out queue of held messages and the thread that drains it."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._queue: list[_Held] = []
        self._thread: threading.Thread | None = None
        self.poll_seconds = POLL_SECONDS
        self.give_up_seconds = GIVE_UP_SECONDS

    def holding(self, conversation_id: str) -> bool:
        with self._lock:
            return any(h.conversation_id == conversation_id for h in self._queue)

    def hold(self, rasa: RasaClient, conversation_id: str, message: str,
             answer: Callable[[str, str], None], give_up: Callable[[str], None]) -> None:
        """Keep the message; `answer(conversation_id, message)` runs once Rasa is ready
        (raising RasaStarting puts it back), `give_up(conversation_id)` if it never is."""
        with self._lock:
            self._queue.append(_Held(conversation_id, message, time.monotonic()))
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, args=(rasa, answer, give_up),
                                                name="held-messages", daemon=True)
                self._thread.start()

    def _run(self, rasa: RasaClient, answer: Callable[[str, str], None],
             give_up: Callable[[str], None]) -> None:
        while not rasa.closed:
            with self._lock:
                if not self._queue:
                    self._thread = None
                    return
            if rasa.ready():
                self._drain(answer)
            else:
                for conversation_id in self._expired():
                    _safely(give_up, conversation_id)
            time.sleep(self.poll_seconds)
        with self._lock:
            self._thread = None

    def _drain(self, answer: Callable[[str, str], None]) -> None:
        while True:
            with self._lock:
                if not self._queue:
                    return
                held = self._queue[0]
            try:
                _safely(answer, held.conversation_id, held.message)
            except RasaStarting:
                return  # loading again (a new model): wait and retry the same message
            with self._lock:
                self._queue.remove(held)

    def _expired(self) -> list[str]:
        deadline = time.monotonic() - self.give_up_seconds
        with self._lock:
            gone = {h.conversation_id for h in self._queue if h.since < deadline}
            self._queue = [h for h in self._queue if h.conversation_id not in gone]
        return sorted(gone)


def _safely(function: Callable[..., None], *args: str) -> None:
    try:
        function(*args)
    except RasaStarting:
        raise
    except Exception:  # noqa: BLE001 - one bad conversation must not stop the others
        log.exception("could not answer a held message")
