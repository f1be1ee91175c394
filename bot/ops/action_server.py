"""Runs the rasa_sdk action server, accepting only calls that carry ACTION_SERVER_TOKEN in their
Authorization header (endpoints*.yml makes Rasa send it)."""

from __future__ import annotations

import argparse
import logging
import secrets

from rasa_sdk.endpoint import create_app
from sanic import response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.settings import get_settings


def build_app(token: str):  # type: ignore[no-untyped-def]
    app = create_app("actions", cors_origins=None)

    @app.middleware("request")
    async def require_token(request: Request) -> HTTPResponse | None:
        if request.path == "/health":
            return None
        header = request.headers.get("Authorization", "")
        given = header[7:].strip() if header.lower().startswith("bearer ") else ""
        if secrets.compare_digest(given.encode(), token.encode()):
            return None
        return response.json({"error": "a valid token is required"}, status=401)

    return app


def main() -> None:
    settings = get_settings()
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default=settings.action_server_host)
    parser.add_argument("--port", type=int, default=settings.action_server_port)
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    settings.require_secrets("actions")
    app = build_app(settings.action_server_token.get_secret_value())
    app.run(host=args.host, port=args.port, workers=1, access_log=False)


if __name__ == "__main__":
    main()
