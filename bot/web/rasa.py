"""The Rasa server as the gateway sees it: the REST channel and the tracker-events API."""

from __future__ import annotations

from typing import Any

import httpx


class RasaUnavailable(Exception):
    """Rasa could not be reached or answered with an error; the caller keeps the message."""


class RasaClient:
    """One choke point for Rasa HTTP: token, timeouts and error mapping."""

    def __init__(self, base_url: str, token: str, timeout: float = 10.0) -> None:
        self._token = token
        self._http = httpx.Client(
            base_url=base_url.rstrip("/"), timeout=httpx.Timeout(timeout, connect=3.0)
        )

    def close(self) -> None:
        self._http.close()

    def _post(self, path: str, body: Any) -> Any:
        try:
            response = self._http.post(path, params={"token": self._token}, json=body)
            response.raise_for_status()
            return response.json()
        except (httpx.HTTPError, ValueError) as exc:
            raise RasaUnavailable(f"Rasa call {path} failed: {type(exc).__name__}") from exc

    def send(self, sender: str, message: str) -> list[dict[str, Any]]:
        """Forward the resident's text or button payload; returns Rasa's bot messages."""
        replies = self._post("/webhooks/rest/webhook", {"sender": sender, "message": message})
        if not isinstance(replies, list):
            raise RasaUnavailable("Rasa's REST channel did not return a list")
        return [r for r in replies if isinstance(r, dict)]

    def resume(self, sender: str) -> None:
        """Un-pause the conversation after staff hand it back.

        The paused turn ended on the handoff action, not on `action_listen`; without one the
        policies read the resident's next message as part of the handoff turn and hand off again.
        """
        self._post(f"/conversations/{sender}/tracker/events",
                   [{"event": "resume"}, {"event": "action", "name": "action_listen"}])
