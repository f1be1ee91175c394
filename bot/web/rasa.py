"""The Rasa server as the gateway sees it: REST channel, tracker events, status and domain.

RasaUnavailable: Rasa could not be reached or answered with an error (or took too long: it may
  still act on the message, so the message is never sent again).
  RasaStarting: Rasa is loading its model (409/503, or no answer before it was ever ready); the
    message never reached it and can be sent once it is ready.
    RasaRestarting: Rasa had been ready and now refuses connections: its supervisor is starting
      it again.
"""

from __future__ import annotations

import time
from typing import Any

import httpx

from bot.rasa.api_auth import api_headers, bearer

# Rasa opens its port only once the model is loaded; until then (and within this long of the
# gateway starting) a refused connection means "starting", not "broken".
STARTUP_SECONDS = 300.0
NOT_READY_STATUSES = (409, 503)  # 409: Rasa's "No agent loaded"


class RasaUnavailable(Exception):
    """Rasa could not be reached or answered with an error; the caller keeps the message."""


class RasaStarting(RasaUnavailable):
    """Rasa is still loading; the message can be answered once it is ready."""


class RasaRestarting(RasaStarting):
    """Rasa stopped after it had been ready (it is being restarted); the message never reached
    it and can be answered once it is back."""


class RasaClient:
    """One choke point for Rasa HTTP: token, timeouts and error mapping."""

    def __init__(self, base_url: str, token: str, timeout: float = 10.0,
                 api_token: str = "") -> None:
        self._token = token  # the REST channel's
        self._api_token = api_token  # Rasa's HTTP API's (tracker events, status, domain)
        self._http = httpx.Client(
            base_url=base_url.rstrip("/"), timeout=httpx.Timeout(timeout, connect=3.0)
        )
        self._started = time.monotonic()
        self.ever_ready = False
        self.closed = False

    def close(self) -> None:
        self.closed = True
        self._http.close()

    def _call(self, method: str, path: str, body: Any = None,
              params: dict[str, str] | None = None) -> Any:
        try:
            auth = (bearer(self._token) if path.startswith("/webhooks/")
                    else api_headers(self._api_token))
            response = self._http.request(method, path, params=params, json=body,
                                          headers={"Accept": "application/json", **auth})
            if response.status_code in NOT_READY_STATUSES:
                raise RasaStarting(f"Rasa call {path}: {response.status_code}, still loading")
            response.raise_for_status()
            result = response.json()
        except httpx.ConnectError as exc:
            if not self.ever_ready and time.monotonic() - self._started < STARTUP_SECONDS:
                raise RasaStarting(f"Rasa call {path}: not listening yet") from exc
            # Refused: the message never reached Rasa, so sending it again cannot repeat it.
            raise RasaRestarting(f"Rasa call {path}: not listening") from exc
        except (httpx.HTTPError, ValueError, RuntimeError) as exc:
            # RuntimeError: the client was closed while the gateway shuts down.
            raise RasaUnavailable(f"Rasa call {path} failed: {type(exc).__name__}") from exc
        self.ever_ready = True
        return result

    def send(self, sender: str, message: str) -> list[dict[str, Any]]:
        """Forward the resident's text or button payload; returns Rasa's bot messages, the last
        one carrying the turn's summary for insights (bot/rasa/turn_summary.py)."""
        replies = self._call("POST", "/webhooks/rest/webhook",
                             {"sender": sender, "message": message}, {"insights": "1"})
        if not isinstance(replies, list):
            raise RasaUnavailable("Rasa's REST channel did not return a list")
        return [r for r in replies if isinstance(r, dict)]

    def resume(self, sender: str) -> None:
        """Un-pause the conversation after staff hand it back.

        The paused turn ended on the handoff action, not on `action_listen`; without one the
        policies read the resident's next message as part of the handoff turn and hand off again.
        """
        self._call("POST", f"/conversations/{sender}/tracker/events",
                   [{"event": "resume"}, {"event": "action", "name": "action_listen"}])

    def ready(self) -> bool:
        """True once Rasa has a model loaded and answers."""
        try:
            status = self._call("GET", "/status")
        except RasaUnavailable:
            return False
        return isinstance(status, dict) and bool(status.get("model_file"))

    def response(self, name: str) -> dict[str, Any] | None:
        """The first variation of one of the loaded model's domain responses, e.g. the welcome."""
        domain = self._call("GET", "/domain")
        variations = (domain.get("responses") or {}).get(name) if isinstance(domain, dict) else None
        if not isinstance(variations, list):
            return None
        plain = [v for v in variations if isinstance(v, dict) and not v.get("condition")]
        return plain[0] if plain else None
