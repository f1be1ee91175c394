"""A small Rasa REST-channel server for state-machine tests, served over real HTTP.

It answers like Rasa's REST channel, tracker-events, status and domain API: "person" hands off
(with the payload actions/common/payloads.py defines), a paused conversation answers nothing
until resumed, "collections" gives a long answer with a list, and while `loading` every call
gets Rasa's 409 "No agent loaded".
"""

from __future__ import annotations

import jwt
from fastapi import FastAPI, HTTPException, Request

from actions.common.handoff import handoff_payload
from actions.common.redaction import redaction_payload

TOKEN = "test-rasa-token"  # the REST channel's
API_TOKEN = "test-rasa-api-token-at-least-32-bytes"  # the HTTP API's JWT secret
WELCOME = {"text": "Hello, I'm the council's automated assistant. What can I help with?",
           "buttons": [{"title": "Bin collections", "payload": "When is my bin day?"},
                       {"title": "My council tax", "payload": "/ct_balance"},
                       {"title": "Talk to a person", "payload": "/request_human"}]}
COLLECTIONS = ("Collections at 2 Acacia Avenue, Anytown AN1 1AA:\n"
               "- Tuesday 8 December: food waste and recycling\n"
               "- Tuesday 15 December: food waste and general waste\n"
               "- Tuesday 22 December: food waste and recycling\n"
               "Your balance is £1,234.50. More at https://www.anytown.gov.uk/bins")


class FakeRasa:
    def __init__(self) -> None:
        self.received: list[tuple[str, str]] = []
        self.resumed: list[str] = []
        self.paused: set[str] = set()
        self.fail_resume = False
        self.loading = False
        self.handoff = handoff_payload(
            topic="council_tax", summary="Resident asked for a person about council tax.",
            priority="normal", references={"account_number": "500000001"}, verified=True)
        self.app = self._build()

    def _build(self) -> FastAPI:
        app = FastAPI()

        def check(request: Request) -> None:
            scheme, _, given = request.headers.get("authorization", "").partition(" ")
            if scheme.lower() != "bearer" or "token" in request.query_params:
                raise HTTPException(401)
            if request.url.path.startswith("/webhooks/"):
                if given != TOKEN:
                    raise HTTPException(401)
            else:
                try:
                    claims = jwt.decode(given, API_TOKEN, algorithms=["HS256"])
                except jwt.InvalidTokenError as exc:
                    raise HTTPException(401) from exc
                if claims.get("user", {}).get("role") != "admin":
                    raise HTTPException(403)
            if self.loading:
                raise HTTPException(409, "No agent loaded.")

        @app.get("/status")
        async def status(request: Request) -> dict:
            check(request)
            return {"model_file": "fake.tar.gz", "model_id": "fake"}

        @app.get("/domain")
        async def domain(request: Request) -> dict:
            check(request)
            return {"responses": {"utter_greet": [WELCOME]}}

        @app.post("/webhooks/rest/webhook")
        async def webhook(request: Request) -> list:
            check(request)
            body = await request.json()
            sender, message = body["sender"], body["message"]
            self.received.append((sender, message))
            if sender in self.paused:
                return []
            if "person" in message.lower():
                self.paused.add(sender)
                return [{"recipient_id": sender, "text": "I'll pass you to a member of staff."},
                        {"recipient_id": sender, "custom": self.handoff}]
            if "collections" in message.lower() or message == "When is my bin day?":
                return [{"recipient_id": sender, "text": "Let me look that up."},
                        {"recipient_id": sender, "text": COLLECTIONS},
                        {"recipient_id": sender, "text": "1. Put bins out by 7am\n2. Lids closed"},
                        {"recipient_id": sender, "text": "Was a bin missed?",
                         "buttons": [{"title": "Yes", "payload": "/affirm"},
                                     {"title": "No", "payload": "/deny"}]}]
            if message == "say nothing":  # as Rasa does when its action server is down
                return []
            if message == "send report":
                return [{"recipient_id": sender, "text": "Sent as RS-123456."},
                        {"recipient_id": sender, "custom": redaction_payload(2, "Removed.")}]
            return [{"recipient_id": sender, "text": f"You said: {message}",
                     "buttons": [{"title": "Bin day", "payload": "/bin_day"}]}]

        @app.post("/conversations/{sender}/tracker/events")
        async def events(sender: str, request: Request) -> dict:
            check(request)
            if self.fail_resume:
                raise HTTPException(500)
            if any(e.get("event") == "resume" for e in await request.json()):
                self.paused.discard(sender)
                self.resumed.append(sender)
            return {"sender_id": sender}

        return app

    def texts_for(self, sender: str) -> list[str]:
        return [m for s, m in self.received if s == sender]
