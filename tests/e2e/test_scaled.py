"""Two replicas of every tier behind HAProxy, on PostgreSQL and Redis: nothing a resident or
a member of staff does depends on which replica answers.

One stack for the module (tests/e2e/scaled_stack.py); both Rasa servers load one copy of the
model `make model` trained. The tests run in file order: the replica killed last stays down.
"""

from __future__ import annotations

import io
import json
import re
import tarfile
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from bot.content.publish import Publisher
from bot.content.rasa_tools import model_id
from bot.ops import scaled
from bot.rasa.api_auth import api_headers
from bot.web.services.chat import APOLOGY
from tests.e2e.scaled_stack import ScaledStack, started_scaled_stack

FAQ_QUESTION = "how do i get rid of my christmas tree"
FAQ_RESPONSE = "utter_faq/christmas_tree_recycling"


@pytest.fixture(scope="module")
def stack(tmp_path_factory) -> Iterator[ScaledStack]:
    with started_scaled_stack(tmp_path_factory.mktemp("scaled")) as started:
        yield started


class Chat:
    """One resident's conversation through the load balancer (or one replica)."""

    def __init__(self, base_url: str) -> None:
        self.http = httpx.Client(base_url=base_url, timeout=60)
        body = self.http.post("/api/conversations").json()
        self.id = body["conversation_id"]
        self.http.headers["Authorization"] = f"Bearer {body['token']}"

    def says(self, text: str = "", payload: str | None = None, via: str | None = None) -> str:
        """What came back: the texts, and the buttons' titles."""
        url = f"{via or ''}/api/conversations/{self.id}/messages"
        response = self.http.post(url, json={"text": text, "payload": payload})
        assert response.status_code == 200, response.text
        return "\n".join(line for m in response.json()["messages"]
                         for line in [m["text"], *(b["title"] for b in m["buttons"])])

    def transcript(self) -> list[dict]:
        return self.http.get(f"/api/conversations/{self.id}/messages").json()["messages"]


def answered(chat: Chat, wanted: str, seconds: float = 120) -> list[dict]:
    """The transcript once the assistant's last answer mentions `wanted` (held messages are
    answered after the response that said so)."""
    deadline = time.monotonic() + seconds
    while True:
        transcript = chat.transcript()
        last = transcript[-1]
        shown = " ".join([last["text"], *(b["title"] for b in last["buttons"])])
        if last["sender"] == "bot" and wanted in shown or time.monotonic() > deadline:
            assert wanted in shown, transcript
            return transcript
        time.sleep(1)


def served_since(stack: ScaledStack, before: dict[str, int]) -> dict[str, int]:
    return {name: count - before.get(name, 0) for name, count in stack.served().items()}


def test_a_conversation_moving_between_replicas_of_every_tier_keeps_its_state(stack):
    before = stack.served()
    chat = Chat(stack.url)
    assert "postcode" in chat.says("when is my bin day")
    assert "Acacia Avenue" in chat.says("AN1 1AA")
    answer = chat.says("1 Acacia Avenue", payload="100000000101")
    assert answer.startswith("Collections at 1 Acacia Avenue"), answer
    # The form and the saved address live in PostgreSQL, not in one Rasa's memory.
    assert "Use 1 Acacia Avenue again?" in chat.says("my bin wasn't emptied")
    served = served_since(stack, before)
    for replica in ("gateway-a", "gateway-b", "rasa-a", "rasa-b", "actions-a", "actions-b"):
        assert served[replica] > 0, served


def test_a_staff_reply_through_one_gateway_reaches_a_resident_streaming_from_the_other(stack):
    agent = httpx.Client(base_url=stack.gateway("a"), timeout=30)
    login = agent.get("/staff/login").text
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', login).group(1)
    agent.post("/staff/login", data={"username": "agent", "password": "agent-demo-pass",
                                     "csrf_token": csrf})
    console_csrf = re.search(r'data-csrf="([^"]+)"', agent.get("/staff").text).group(1)
    agent.headers["Accept"] = "application/json"
    chat = Chat(stack.gateway("b"))
    chat.says("Leave my contact details", payload="/leave_contact_details")  # opens a case
    case = agent.get("/staff/queue.json").json()["waiting"][-1]
    assert case["conversation_id"] == chat.id
    claimed = agent.post(f"/staff/cases/{case['id']}/claim", data={"csrf_token": console_csrf})
    assert claimed.status_code == 200, claimed.text
    last = chat.transcript()[-1]["id"]
    received: list[dict] = []

    def listen() -> None:
        with chat.http.stream("GET", f"/api/conversations/{chat.id}/stream",
                              params={"after": last}, timeout=30) as stream:
            for line in stream.iter_lines():
                if line.startswith("data:"):
                    received.append(json.loads(line[5:]))
                    return

    listener = threading.Thread(target=listen, daemon=True)
    listener.start()
    time.sleep(1)  # the stream on gateway B is open before the reply is sent through A
    sent = time.monotonic()
    reply = agent.post(f"/staff/cases/{case['id']}/reply",
                       data={"csrf_token": console_csrf, "text": "Hello, I can help."})
    assert reply.status_code == 200, reply.text
    listener.join(timeout=20)
    assert received and received[0]["message"]["text"] == "Hello, I can help."
    # Gateway B was woken through Redis, not by its 15-second heartbeat.
    assert time.monotonic() - sent < 5


def test_two_tabs_typing_at_once_through_different_gateways_never_corrupt_the_conversation(
        stack):
    chat = Chat(stack.url)
    assert chat.says("hello")
    texts = [f"hello {n}" for n in range(6)]
    with ThreadPoolExecutor(max_workers=2) as tabs:
        answers = list(tabs.map(
            lambda pair: chat.says(pair[1], via=stack.gateway("ab"[pair[0] % 2])),
            enumerate(texts)))
    assert all(answers), answers  # every message answered by the assistant
    transcript = chat.transcript()
    resident = [m["text"] for m in transcript if m["sender"] == "resident"]
    assert sorted(resident[1:]) == sorted(texts)
    tracker = httpx.get(f"{stack.rasa('a')}/conversations/{chat.id}/tracker",
                        headers=api_headers(stack.settings.rasa_api_token.get_secret_value()),
                        timeout=30).json()
    said = [e["text"] for e in tracker["events"] if e["event"] == "user"]
    # Rasa's lock in Redis ran the turns one at a time: each message once, each answered.
    assert sorted(said[1:]) == sorted(texts)
    users = [i for i, e in enumerate(tracker["events"]) if e["event"] == "user"]
    for start, end in zip(users, [*users[1:], len(tracker["events"])], strict=True):
        assert any(e["event"] == "bot" for e in tracker["events"][start:end])


def _republished(model: Path, out: Path, answer: str) -> Path:
    """The same trained model with a new id and one FAQ answer reworded in its domain, as a
    publish without new examples would produce it (no training in the test suite)."""
    with tarfile.open(model, "r:gz") as source, tarfile.open(out, "w:gz") as target:
        for member in source.getmembers():
            data = source.extractfile(member) if member.isfile() else None
            if member.name == "metadata.json" and data is not None:
                metadata = json.load(data)
                metadata["model_id"] = f"republished-{time.time_ns()}"
                metadata["domain"]["responses"][FAQ_RESPONSE] = [{"text": answer}]
                body = json.dumps(metadata).encode()
                member.size = len(body)
                target.addfile(member, fileobj=io.BytesIO(body))
            else:
                target.addfile(member, fileobj=data)
    return out


def test_a_published_faq_answer_is_served_by_both_rasa_replicas(stack, tmp_path):
    answer = "Put your real Christmas tree out with your garden waste in January."
    live = next(stack.models_dir.glob("*.tar.gz"))
    candidate = _republished(live, tmp_path / "candidate.tar.gz", answer)
    state = Publisher(stack.settings).go_live(candidate)
    # go_live returned: every replica now runs the new model (and, back from loading it,
    # passes the balancer's health checks again).
    scaled.wait_until_balanced(stack.layout)
    assert {stack.rasa_model(letter)["model_id"] for letter in "ab"} == {model_id(candidate)}
    assert {stack.rasa_model(letter)["model_file"] for letter in "ab"} == {state.live}
    for _ in range(2):  # one resident per replica, through the balancer
        assert answer in Chat(stack.url).says(FAQ_QUESTION)


def test_one_rasa_replica_killed_under_load_loses_no_message(stack):
    chats = [Chat(stack.url) for _ in range(6)]
    failures: list[str] = []

    def resident(chat: Chat) -> list[str]:
        answers = []
        for text in ("hello", "when is my bin day", "AN1 1AA"):
            try:
                answers.append(chat.says(text))
            except AssertionError as exc:
                failures.append(str(exc))
        return answers

    with ThreadPoolExecutor(max_workers=6) as pool:
        running = [pool.submit(resident, chat) for chat in chats]
        time.sleep(2)
        stack.processes["rasa-a"].kill()
        answers = [future.result() for future in running]
    assert not failures
    for chat, said in zip(chats, answers, strict=True):
        assert len(said) == 3 and all(said), said
        # A turn the dying replica dropped is replayed on the other one; one that found no
        # replica for a moment is held by the gateway and answered over the stream.
        transcript = answered(chat, "Acacia Avenue")
        assert [m["text"] for m in transcript if m["sender"] == "resident"] == [
            "hello", "when is my bin day", "AN1 1AA"]
        assert not any(m["text"] == APOLOGY for m in transcript), transcript
    assert "postcode" in Chat(stack.url).says("when is my bin day")  # and new residents too
