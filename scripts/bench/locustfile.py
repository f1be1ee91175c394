"""Locust users that play the scripted conversations against one target.

    locust -f scripts/bench/locustfile.py --headless --host URL [--rasa-token T]
           [--think-seconds 2-5] GatewayResident | RasaResident | AnchorResident

Runs in the bench's own virtual environment (Locust's pins clash with Rasa's) with the
checkout on PYTHONPATH; `python -m scripts.bench` runs it for every target and level.
"""

from __future__ import annotations

import random
import uuid

import gevent
from locust import HttpUser, events, task

from scripts.bench.conversations import (
    ANCHOR_SCRIPTS,
    RESIDENT_SCRIPTS,
    Script,
    ScriptError,
    Step,
    check,
    reply_buttons,
)

MESSAGE = "message"  # the one request name the bench reads its figures from
TIMEOUT_SECONDS = 60


@events.init_command_line_parser.add_listener
def _options(parser) -> None:  # type: ignore[no-untyped-def]
    parser.add_argument("--rasa-token", default="", help="Rasa's REST channel token, if any")
    parser.add_argument("--think-seconds", default="0",
                        help="pause between a resident's messages: N or LOW-HIGH seconds")


def think_range(value: str) -> tuple[float, float]:
    low, _, high = value.partition("-")
    return float(low), float(high or low)


class Resident(HttpUser):
    """One resident at a time per user: picks a script by weight and plays it to the end."""

    abstract = True
    scripts: tuple[Script, ...] = RESIDENT_SCRIPTS

    def wait_time(self) -> float:
        low, high = think_range(self.environment.parsed_options.think_seconds)
        return random.uniform(low, high)

    @task
    def converse(self) -> None:
        script = random.choices(self.scripts, weights=[s.weight for s in self.scripts])[0]
        if not self.begin():
            return
        buttons: list[dict] = []
        for number, step in enumerate(script.steps):
            if number:
                self._think()
            messages = self.send(step, buttons)
            if messages is None:
                return  # failed: the rest of the script would not make sense
            buttons = reply_buttons(messages)

    def _think(self) -> None:
        pause = self.wait_time()
        if pause:
            gevent.sleep(pause)

    def send(self, step: Step, buttons: list[dict]) -> list[dict] | None:
        try:
            message, is_button = step.message(buttons)
        except ScriptError as error:
            events.request.fire(request_type="POST", name=MESSAGE, response_time=0,
                                response_length=0, exception=error, context={})
            return None
        with self.post_message(message, is_button) as response:
            try:
                response.raise_for_status()
                messages = self.messages(response.json())
                check(step, messages)
            except Exception as error:  # any failure is counted, with its reason
                response.failure(f"{type(error).__name__}: {str(error)[:200]}")
                return None
            return messages

    def begin(self) -> bool:
        """Start a new conversation; False if that failed (the failure is counted)."""
        return True

    def post_message(self, message: str, is_button: bool):  # type: ignore[no-untyped-def]
        raise NotImplementedError

    def messages(self, body: object) -> list[dict]:
        raise NotImplementedError


class RasaResident(Resident):
    """Rasa's REST channel, as the gateway calls it."""

    abstract = False

    def begin(self) -> bool:
        self.sender = str(uuid.uuid4())
        return True

    def post_message(self, message: str, is_button: bool):  # type: ignore[no-untyped-def]
        token = self.environment.parsed_options.rasa_token
        return self.client.post("/webhooks/rest/webhook",
                                headers={"Authorization": f"Bearer {token}"} if token else None,
                                json={"sender": self.sender, "message": message}, name=MESSAGE,
                                catch_response=True, timeout=TIMEOUT_SECONDS)

    def messages(self, body: object) -> list[dict]:
        if not isinstance(body, list):
            raise ScriptError("Rasa's REST channel did not return a list")
        return body


class AnchorResident(RasaResident):
    """Bare Rasa with the `rasa init` assistant: the yardstick."""

    scripts = ANCHOR_SCRIPTS


class GatewayResident(Resident):
    """The gateway's resident API (docs/contract.md section 4), as the widget uses it."""

    abstract = False

    def begin(self) -> bool:
        with self.client.post("/api/conversations", name="start conversation",
                              catch_response=True, timeout=TIMEOUT_SECONDS) as response:
            if response.status_code != 201:
                response.failure(f"HTTP {response.status_code}")
                return False
            started = response.json()
        self.conversation = started["conversation_id"]
        self.headers = {"Authorization": f"Bearer {started['token']}"}
        return True

    def post_message(self, message: str, is_button: bool):  # type: ignore[no-untyped-def]
        return self.client.post(f"/api/conversations/{self.conversation}/messages",
                                json={"payload": message} if is_button else {"text": message},
                                headers=self.headers, name=MESSAGE, catch_response=True,
                                timeout=TIMEOUT_SECONDS)

    def messages(self, body: object) -> list[dict]:
        if not isinstance(body, dict) or not isinstance(body.get("messages"), list):
            raise ScriptError("the gateway did not return its messages")
        return body["messages"]
