"""The one choke point for back-office HTTP: auth, timeouts, retries and error mapping."""

from __future__ import annotations

import logging
import time
import uuid
from typing import Any

import requests

from actions.backoffice.config import BackOfficeConfig
from actions.backoffice.errors import (
    BackOfficeAuthError,
    BackOfficeError,
    BackOfficeNotFound,
    BackOfficeRejected,
    BackOfficeTimeout,
    BackOfficeUnavailable,
)

logger = logging.getLogger(__name__)

IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "PUT", "DELETE", "OPTIONS"})
IN_PROGRESS = "idempotency_key_in_progress"  # the back office's 409 for a concurrent retry


def new_idempotency_key() -> str:
    return str(uuid.uuid4())


class BackOfficeClient:
    """Base of every area's client. Subclasses name methods after the system's operations.

    Build one per process (actions/backoffice/__init__.py does): its `requests.Session`
    keeps the connections to the back office open between calls.
    """

    def __init__(self, config: BackOfficeConfig,
                 session: requests.Session | None = None) -> None:
        self.config = config
        self.session = session or requests.Session()
        self.session.headers["Authorization"] = f"Bearer {self.config.token}"

    def _request(
        self,
        method: str,
        path: str,
        *,
        params: dict[str, Any] | None = None,
        json: Any = None,
        idempotency_key: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> Any:
        """Send one call; return its JSON body or raise a BackOfficeError.

        Reads are retried on transport failures and 5xx; a write is retried only when it
        carries an Idempotency-Key, because then the system replays instead of repeating it.
        """
        headers = dict(headers or {})
        if idempotency_key:
            headers["Idempotency-Key"] = idempotency_key
        retryable = method in IDEMPOTENT_METHODS or idempotency_key is not None
        attempts = 1 + (self.config.retries if retryable else 0)
        url = self.config.base_url.rstrip("/") + path
        for attempt in range(1, attempts + 1):
            started = time.monotonic()
            try:
                response = self.session.request(
                    method, url, params=params, json=json, headers=headers,
                    timeout=(self.config.connect_timeout, self.config.read_timeout),
                )
            except requests.Timeout as exc:
                error: BackOfficeError = BackOfficeTimeout(f"{method} {path} timed out")
                error.__cause__ = exc
            except requests.RequestException as exc:
                error = BackOfficeUnavailable(f"{method} {path} failed: {type(exc).__name__}")
                error.__cause__ = exc
            else:
                # Only the path template's shape is logged: paths and params may hold personal data.
                logger.debug("back office %s %s -> %s in %.0f ms", method, path.split("/")[1],
                             response.status_code, (time.monotonic() - started) * 1000)
                if _still_in_progress(response):
                    # The first try of this keyed write is still being done: its answer will
                    # be replayed; until then the outcome is unknown, as after a timeout.
                    error = BackOfficeTimeout(f"{method} {path}: first try still in progress")
                elif response.status_code < 500:
                    return _body_or_raise(response)
                else:
                    error = BackOfficeUnavailable(f"{method} {path} -> {response.status_code}")
            if attempt < attempts:
                time.sleep(self.config.backoff_seconds * attempt)
        raise error


def _still_in_progress(response: requests.Response) -> bool:
    return response.status_code == 409 and _problem_of(response).get("code") == IN_PROGRESS


def _body_or_raise(response: requests.Response) -> Any:
    if response.status_code in (401, 403):
        raise BackOfficeAuthError(f"service token refused ({response.status_code})")
    if response.status_code < 400:
        return response.json() if response.content else None
    problem = _problem_of(response)
    code = str(problem.pop("code", "http_error"))
    message = str(problem.pop("message", ""))
    error_type = BackOfficeNotFound if response.status_code == 404 else BackOfficeRejected
    raise error_type(code, message, response.status_code, problem)


def _problem_of(response: requests.Response) -> dict[str, Any]:
    try:
        problem = response.json()["error"]
    except (ValueError, KeyError, TypeError):
        return {"code": "http_error", "message": response.text[:200]}
    return dict(problem) if isinstance(problem, dict) else {"message": str(problem)}
