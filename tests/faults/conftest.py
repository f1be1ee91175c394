"""The whole assistant under supervisord, as `councilbot run` runs it, for fault tests: real
processes, real signals, the back office's own fault switches; a tally printed at the end.

Run on its own (`make test-faults`), so it never runs beside the shared live stack of the
other end-to-end tests: one Rasa at a time.
"""

from __future__ import annotations

import json
import os
import re
import signal
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
import requests
from sqlalchemy import create_engine, text

from bot.ops.stack import loopback_settings
from bot.ops.supervision import Supervised, supervised, wait_for_new_pid
from bot.settings import PROJECT_DIR, Settings
from bot.web.services.chat import APOLOGY, INCOMPLETE, NOT_ANSWERED, RESTARTING, STARTING
from bot.web.services.demo import DEMO_STAFF

APOLOGIES = {APOLOGY, INCOMPLETE, NOT_ANSWERED, RESTARTING, STARTING}


@dataclass
class Tally:
    conversations: int = 0
    messages: int = 0
    faults: dict[str, int] = field(default_factory=dict)
    answered: int = 0
    apologies: int = 0
    lost: int = 0
    duplicated: int = 0

    def fault(self, name: str) -> None:
        self.faults[name] = self.faults.get(name, 0) + 1


TALLY = Tally()


def pytest_terminal_summary(terminalreporter) -> None:  # type: ignore[no-untyped-def]
    if not TALLY.conversations:
        return
    faults = ", ".join(f"{k} {v}" for k, v in sorted(TALLY.faults.items()))
    terminalreporter.write_line(
        f"faults: conversations {TALLY.conversations}, messages {TALLY.messages}, faults "
        f"injected {sum(TALLY.faults.values())} ({faults}), answered {TALLY.answered}, "
        f"apologies {TALLY.apologies}, lost {TALLY.lost}, duplicated writes {TALLY.duplicated}")


@dataclass
class Stack:
    settings: Settings
    handle: Supervised
    residents: list = field(default_factory=list)  # the current test's other conversations

    @property
    def gateway(self) -> str:
        return f"http://127.0.0.1:{self.settings.gateway_port}"

    @property
    def backoffice(self) -> str:
        return self.settings.backoffice_url

    @property
    def gateway_database(self) -> str:
        return self.settings.database_url.removeprefix("sqlite:///")

    def wait_until_serving(self, seconds: float = 60) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                if requests.get(f"{self.gateway}/health", timeout=2).ok:
                    return
            except requests.ConnectionError:
                pass
            time.sleep(0.3)
        pytest.fail("the gateway did not come back")

    def duplicated_writes(self) -> int:
        """Back-office records made twice: bookings and bin orders with the same details."""
        engine = create_engine(self.settings.backoffice_database_url)
        queries = ["SELECT uprn, collection_date, items FROM waste_bulky_bookings",
                   "SELECT uprn, container, reason FROM waste_container_requests"]
        with engine.connect() as connection:
            rows = [tuple(row) for query in queries for row in connection.execute(text(query))]
        engine.dispose()
        return len(rows) - len(set(rows))

    def kill(self, name: str) -> int:
        """SIGKILL the process; returns the PID supervisord starts in its place."""
        old = self.handle.pid(name)
        os.kill(old, signal.SIGKILL)
        TALLY.fault(f"{name} killed")
        return wait_for_new_pid(self.handle, name, old, seconds=30)

    def tally_fault(self, name: str) -> None:
        TALLY.fault(name)

    def set_faults(self, name: str = "", **faults: object) -> None:
        token = self.settings.backoffice_token.get_secret_value()
        requests.put(f"{self.backoffice}/_admin/faults", json=faults, timeout=5,
                     headers={"Authorization": f"Bearer {token}"}).raise_for_status()
        if name:
            TALLY.fault(name)


@pytest.fixture(scope="session")
def stack(tmp_path_factory) -> Iterator[Stack]:
    if not any((PROJECT_DIR / "models").glob("*.tar.gz")):
        pytest.fail("No trained model in models/: run `make model` (make test does) first.")
    var_dir = tmp_path_factory.mktemp("faults")
    settings = loopback_settings(var_dir, PROJECT_DIR / "models", seed_demo_staff=True,
                                 backoffice_test_switches=True)
    names = {"backoffice", "actions", "rasa", "gateway"}
    with supervised(settings, names, var_dir / "log") as handle:
        stack = Stack(settings, handle)
        yield stack
        TALLY.duplicated = stack.duplicated_writes()


class Resident:
    """One conversation over the resident API of the real gateway process."""

    def __init__(self, stack: Stack) -> None:
        self.stack = stack
        body = requests.post(f"{stack.gateway}/api/conversations", timeout=10).json()
        self.id = body["conversation_id"]
        self.headers = {"Authorization": f"Bearer {body['token']}"}
        TALLY.conversations += 1

    def session(self) -> requests.Session:
        http = requests.Session()
        http.headers.update(self.headers)
        return http

    def send(self, text: str, payload: str | None = None) -> requests.Response:
        return requests.post(f"{self.stack.gateway}/api/conversations/{self.id}/messages",
                             json={"text": text, "payload": payload}, headers=self.headers,
                             timeout=self.stack.settings.rasa_timeout_seconds + 10)

    def says(self, text: str, payload: str | None = None) -> list[dict]:
        """The turn's replies; every turn must have at least one (the resident never gets
        silence), so an empty one fails here."""
        started = time.monotonic()
        response = self.send(text, payload)
        response.raise_for_status()
        TALLY.messages += 1
        replies = response.json()["messages"]
        assert replies, f"no reply at all to {text!r} after {time.monotonic() - started:.1f} s"
        return replies

    def tells_staff(self, text: str) -> None:
        """A message for the member of staff in the chat: kept, not answered by the bot."""
        response = self.send(text)
        response.raise_for_status()
        TALLY.messages += 1

    def history(self) -> list[dict]:
        response = requests.get(f"{self.stack.gateway}/api/conversations/{self.id}/messages",
                                params={"after": 0}, headers=self.headers, timeout=10)
        response.raise_for_status()
        return response.json()["messages"]

    def wait_for(self, check, seconds: float) -> list[dict]:  # type: ignore[no-untyped-def]
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                history = self.history()
            except requests.ConnectionError:
                history = []  # the gateway itself is being restarted
            if history and check(history):
                return history
            time.sleep(0.5)
        pytest.fail(f"not seen within {seconds:.0f} s: {[m['text'] for m in self.history()]}")

    def count(self) -> None:
        """Add this conversation to the tally, one resident message at a time: answered (some
        reply that is not an apology), apologised for, or lost (nothing came back)."""
        turns: list[list[dict]] = []
        for message in self.history():
            if message["sender"] == "resident":
                turns.append([])
            elif turns:
                turns[-1].append(message)
        for replies in turns:
            if not replies:
                TALLY.lost += 1
            elif any(m["text"] not in APOLOGIES for m in replies):
                TALLY.answered += 1
            else:
                TALLY.apologies += 1


class Agent:
    """A member of staff signed in to the console of the real gateway process."""

    def __init__(self, stack: Stack, username: str = "agent") -> None:
        self.stack = stack
        self.http = requests.Session()
        password = next(p for name, _full, _role, p in DEMO_STAFF if name == username)
        login = self.http.get(f"{stack.gateway}/staff/login", timeout=10).text
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', login).group(1)
        self.http.post(f"{stack.gateway}/staff/login", timeout=10, data={
            "username": username, "password": password, "csrf_token": csrf}).raise_for_status()
        console = self.http.get(f"{stack.gateway}/staff", timeout=10).text
        self.csrf = re.search(r'data-csrf="([^"]+)"', console).group(1)
        self.http.headers["Accept"] = "application/json"

    def case_of(self, conversation_id: str) -> int:
        waiting = self.http.get(f"{self.stack.gateway}/staff/queue.json", timeout=10).json()
        return next(c["id"] for c in waiting["waiting"] if c["conversation_id"] == conversation_id)

    def act(self, case: int, action: str, **form: str) -> None:
        response = self.http.post(f"{self.stack.gateway}/staff/cases/{case}/{action}",
                                  data={"csrf_token": self.csrf, **form}, timeout=10)
        assert response.status_code == 200, response.text


class Listener(threading.Thread):
    """An SSE stream read as the widget and the console read it: on a dropped connection it
    reconnects with Last-Event-ID and backs off, recording every message id it is sent."""

    def __init__(self, url: str, http: requests.Session, after: int) -> None:
        super().__init__(daemon=True)
        self.url, self.http, self.last = url, http, after
        self.seen: list[int] = []
        self.connections = 0
        self.stopping = threading.Event()

    def run(self) -> None:
        pause = 0.2
        while not self.stopping.is_set():
            try:
                with self.http.get(self.url, headers={"Last-Event-ID": str(self.last),
                                                      "Accept": "text/event-stream"},
                                   stream=True, timeout=(2, 30)) as response:
                    if response.ok:
                        self.connections += 1
                        pause = 0.2
                        self._read(response)
            except requests.RequestException:
                pass  # the gateway went away mid-stream or is not listening yet
            self.stopping.wait(pause)
            pause = min(pause * 2, 2.0)

    def _read(self, response: requests.Response) -> None:
        for line in response.iter_lines(decode_unicode=True):
            if self.stopping.is_set():
                return
            if line.startswith("data:") and '"message"' in line:
                message_id = int(json.loads(line[5:])["message"]["id"])
                self.seen.append(message_id)
                self.last = message_id

    def connected(self, times: int, seconds: float = 60) -> None:
        deadline = time.monotonic() + seconds
        while self.connections < times and time.monotonic() < deadline:
            time.sleep(0.1)
        assert self.connections >= times, f"{self.url}: {self.connections} connection(s)"


def texts(replies: list[dict]) -> list[str]:
    return [m["text"] for m in replies]
