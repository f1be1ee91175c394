"""A small Rasa REST-channel server for state-machine tests, served over real HTTP.

It answers like Rasa's REST channel and tracker-events API: "person" hands off (with the
payload actions/common/payloads.py defines), a paused conversation answers nothing until resumed.
"""

from __future__ import annotations

from fastapi import FastAPI, HTTPException, Request

from actions.common.handoff import handoff_payload
from actions.common.redaction import redaction_payload

TOKEN = "test-rasa-token"


class FakeRasa:
    def __init__(self) -> None:
        self.received: list[tuple[str, str]] = []
        self.resumed: list[str] = []
        self.paused: set[str] = set()
        self.fail_resume = False
        self.handoff = handoff_payload(
            topic="council_tax", summary="Resident asked for a person about council tax.",
            priority="normal", references={"account_number": "500000001"}, verified=True)
        self.app = self._build()

    def _build(self) -> FastAPI:
        app = FastAPI()

        def check(request: Request) -> None:
            if request.query_params.get("token") != TOKEN:
                raise HTTPException(401)

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
