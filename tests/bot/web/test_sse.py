"""Live delivery by Server-Sent Events: ids, Last-Event-ID resumption, staff replies live."""

from __future__ import annotations

import time

import httpx
import pytest

from bot.web.app import create_app
from tests.bot.web.conftest import act, gateway_settings, read_events, serve, sign_in


@pytest.fixture
def served(settings, clock):  # type: ignore[no-untyped-def]
    app = create_app(settings, clock)
    with serve(app) as url:
        yield app, url


def chat(http: httpx.Client) -> tuple[str, dict]:
    body = http.post("/api/conversations").json()
    return body["conversation_id"], {"Authorization": f"Bearer {body['token']}"}


def test_stream_replays_history_with_ids_then_resumes_after_last_event_id(served):
    _app, url = served
    with httpx.Client(base_url=url, timeout=10) as http:
        cid, auth = chat(http)
        for text in ("one", "two"):
            http.post(f"/api/conversations/{cid}/messages", json={"text": text}, headers=auth)
        with http.stream("GET", f"/api/conversations/{cid}/stream", headers=auth) as stream:
            assert stream.headers["content-type"].startswith("text/event-stream")
            events = read_events(stream, 4)
        assert [e["data"]["message"]["text"] for e in events] == [
            "one", "You said: one", "two", "You said: two"]
        assert [e["id"] for e in events] == [e["data"]["message"]["id"] for e in events]
        resume = {**auth, "Last-Event-ID": events[1]["id"]}
        with http.stream("GET", f"/api/conversations/{cid}/stream?after=0",
                         headers=resume) as stream:
            again = read_events(stream, 2)
        assert [e["id"] for e in again] == [events[2]["id"], events[3]["id"]]


def test_staff_reply_arrives_live_exactly_once(served):
    app, url = served
    with httpx.Client(base_url=url, timeout=10) as http:
        agent = sign_in(app, "agent")
        cid, auth = chat(http)
        http.post(f"/api/conversations/{cid}/messages", json={"text": "person"}, headers=auth)
        last = http.get(f"/api/conversations/{cid}/messages",
                        headers=auth).json()["messages"][-1]["id"]
        [case] = agent.get("/staff/queue.json").json()["waiting"]
        with http.stream("GET", f"/api/conversations/{cid}/stream",
                         params={"after": last}, headers=auth) as stream:
            act(agent, case["id"], "claim")
            act(agent, case["id"], "reply", text="Hi, I'm Priya")
            events = read_events(stream, 2, timeout=5)
        assert [(e["data"]["message"]["sender"], e["data"]["state"]) for e in events] == [
            ("system", "with_staff"), ("staff", "with_staff")]
        assert events[1]["data"]["message"]["text"] == "Hi, I'm Priya"
        assert len({e["id"] for e in events}) == 2


def test_stream_of_someone_elses_conversation_is_404(served):
    _app, url = served
    with httpx.Client(base_url=url, timeout=10) as http:
        cid, _auth = chat(http)
        _other, other_auth = chat(http)
        assert http.get(f"/api/conversations/{cid}/stream", headers=other_auth).status_code == 404


def test_staff_queue_stream_sends_a_new_snapshot_when_someone_waits(served):
    app, url = served
    agent = sign_in(app, "agent")
    cookies = {"councilbot_staff": agent.cookies.get("councilbot_staff")}
    with httpx.Client(base_url=url, timeout=10, cookies=cookies) as http:
        with http.stream("GET", "/staff/stream") as stream:
            first = read_events(stream, 1)
            cid, auth = chat(http)
            http.post(f"/api/conversations/{cid}/messages", json={"text": "person"},
                      headers=auth)
            second = read_events(stream, 1, timeout=5)
    assert first[0]["data"]["waiting"] == []
    assert [e["conversation_id"] for e in second[0]["data"]["waiting"]] == [cid]


def test_redis_fans_out_live_events_between_gateway_replicas(tmp_path, fake_rasa, clock):
    import redis

    url = "redis://127.0.0.1:6379/15"
    try:
        redis.Redis.from_url(url).ping()
    except redis.RedisError:
        pytest.skip("Redis not reachable on 127.0.0.1:6379")
    settings = gateway_settings(tmp_path, fake_rasa.url, redis_url=url)
    replica_a, replica_b = create_app(settings, clock), create_app(settings, clock)
    with serve(replica_a) as url_a, serve(replica_b) as url_b:
        agent = sign_in(replica_b, "agent")
        with httpx.Client(base_url=url_a, timeout=10) as http:
            cid, auth = chat(http)
            http.post(f"/api/conversations/{cid}/messages", json={"text": "person"},
                      headers=auth)
            [case] = agent.get("/staff/queue.json").json()["waiting"]
            last = http.get(f"/api/conversations/{cid}/messages",
                            headers=auth).json()["messages"][-1]["id"]
            with http.stream("GET", f"/api/conversations/{cid}/stream",
                             params={"after": last}, headers=auth) as stream:
                act(agent, case["id"], "claim")
                with httpx.Client(base_url=url_b, timeout=10) as other:
                    other.post(f"/staff/cases/{case['id']}/reply",
                               data={"csrf_token": agent.csrf, "text": "via replica B"},
                               cookies={"councilbot_staff": agent.cookies["councilbot_staff"]},
                               headers={"Accept": "application/json"})
                started = time.monotonic()
                events = read_events(stream, 2, timeout=5)
                elapsed = time.monotonic() - started
        assert events[-1]["data"]["message"]["text"] == "via replica B"
        assert elapsed < 5  # woken by the Redis poke, not the 15-second heartbeat
