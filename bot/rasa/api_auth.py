"""Credentials for Rasa's HTTP API, always sent in the Authorization header.

Rasa 3.6 takes its `--auth-token` only as a `?token=` query parameter, which ends up in access
logs and proxies; its other method is a JWT in `Authorization: Bearer`. The launcher starts
Rasa with RASA_API_TOKEN as the JWT secret (HS256), and callers sign a short-lived token with
the admin role that Rasa's `requires_auth` checks (rasa/server.py).
"""

from __future__ import annotations

import time

import jwt

LIFETIME_SECONDS = 300
JWT_METHOD = "HS256"


def api_headers(api_token: str) -> dict[str, str]:
    claims = {"user": {"username": "councilbot", "role": "admin"},
              "exp": int(time.time()) + LIFETIME_SECONDS}
    return {"Authorization": f"Bearer {jwt.encode(claims, api_token, algorithm=JWT_METHOD)}"}


def bearer(token: str) -> dict[str, str]:
    """The REST channel's and the action server's plain shared token."""
    return {"Authorization": f"Bearer {token}"}
