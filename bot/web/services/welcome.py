"""The chat's opening: the assistant's own welcome response (with its suggestions) and the
privacy notice, shown before the resident's first message.

The welcome is `utter_greet` from the loaded model's domain (Rasa's `GET /domain`), so content
editors change it with the rest of the assistant's words; it is cached for a few minutes.
"""

from __future__ import annotations

import threading
import time
from typing import TYPE_CHECKING

from bot.web.rasa import RasaStarting, RasaUnavailable
from bot.web.services.presenters import clean_buttons

if TYPE_CHECKING:
    from bot.web.runtime import Runtime

WELCOME_RESPONSE = "utter_greet"
CACHE_SECONDS = 300.0
STARTING_WELCOME = ("Hello, I'm Anytown Borough Council's automated assistant. I'm just starting "
                    "up: ask your question and I'll answer it in a moment.")
PLAIN_WELCOME = "Hello, I'm Anytown Borough Council's automated assistant. What can I help with?"
PRIVACY = "We keep this chat to answer you and to improve the service."


class WelcomeCache:
    """The last welcome fetched from Rasa and when; shared by the gateway's worker threads."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.value: dict | None = None
        self.fetched = 0.0


def welcome(rt: Runtime) -> dict:
    cache = rt.welcome
    with cache.lock:
        fresh = cache.value is not None and time.monotonic() - cache.fetched < CACHE_SECONDS
        value = cache.value if fresh else None
    assistant = "ready"
    if value is None:
        try:
            response = rt.rasa.response(WELCOME_RESPONSE) or {}
            value = {"text": str(response.get("text") or PLAIN_WELCOME),
                     "buttons": clean_buttons(response.get("buttons"))}
            with cache.lock:
                cache.value, cache.fetched = value, time.monotonic()
        except RasaUnavailable as exc:
            starting = isinstance(exc, RasaStarting)
            assistant = "starting" if starting else "unavailable"
            value = cache.value or {"text": STARTING_WELCOME if starting else PLAIN_WELCOME,
                                    "buttons": []}
    return {**value, "assistant": assistant,
            "privacy": {"text": PRIVACY, "url": rt.settings.privacy_notice_url}}
