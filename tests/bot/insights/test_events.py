"""Events written through the resident API and the staff console as things happen; who may
read the figures; the rating and its redacted comment; Rasa's turn summary."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from starlette.responses import Response

from bot.insights.models import InsightEvent, RatingComment
from bot.rasa.turn_summary import summarise
from bot.web.app import create_app
from bot.web.clock import Clock
from tests.bot.web.conftest import IN_HOURS, act, gateway_settings, say, serve, sign_in, start_chat
from tests.bot.web.fake_rasa import FakeRasa

BIN_DAY = {"intent": "bin_day", "actions": ["bin_day_form"], "loop_before": None,
           "started": ["bin_day_form"], "steps": [["bin_day_form", "postcode"]],
           "active_loop": "bin_day_form"}
POSTCODE = {"intent": "inform", "actions": ["bin_day_form", "action_bin_day"],
            "loop_before": "bin_day_form", "started": [], "steps": [], "active_loop": None}
NOT_UNDERSTOOD = {"intent": "nlu_fallback", "actions": ["action_default_fallback"],
                  "loop_before": None, "started": [], "steps": [], "active_loop": None}


@pytest.fixture(scope="module")
def rasa() -> Iterator[FakeRasa]:
    """The gateway tests' fake Rasa, which also appends the next queued turn summary when the
    gateway asks for one (?insights=1), as bot/rasa/channel.py does."""
    fake = FakeRasa()
    fake.next_turns = []  # type: ignore[attr-defined]

    @fake.app.middleware("http")
    async def add_turn(request, call_next):  # type: ignore[no-untyped-def]
        response = await call_next(request)
        if (request.url.path != "/webhooks/rest/webhook"
                or request.query_params.get("insights") != "1" or not fake.next_turns):  # type: ignore[attr-defined]
            return response
        replies = json.loads(b"".join([chunk async for chunk in response.body_iterator]))
        replies.append({"custom": {"turn": fake.next_turns.pop(0)}})  # type: ignore[attr-defined]
        return Response(json.dumps(replies), media_type="application/json")

    with serve(fake.app) as url:
        fake.url = url  # type: ignore[attr-defined]
        yield fake


@pytest.fixture(scope="module")
def app(tmp_path_factory, rasa):  # type: ignore[no-untyped-def]
    """One gateway for the module (it loads spaCy once)."""
    tmp = tmp_path_factory.mktemp("insights-events")
    return create_app(gateway_settings(tmp, rasa.url), Clock(IN_HOURS))


@pytest.fixture(scope="module")
def client(app) -> Iterator[TestClient]:  # type: ignore[no-untyped-def]
    """The resident's side; one lifespan for the module (it closes the Rasa client on exit)."""
    with TestClient(app) as resident:
        yield resident


def events(app, conversation_id: str) -> list[tuple]:  # type: ignore[no-untyped-def]
    with app.state.runtime.transaction() as session:
        rows = session.scalars(select(InsightEvent).where(
            InsightEvent.conversation_id == conversation_id).order_by(InsightEvent.id)).all()
        return [(r.kind, r.service, r.name, r.detail, r.value) for r in rows]


def test_a_journey_a_fallback_and_an_escalation_with_a_staff_reply_are_recorded(app, rasa,
                                                                                  client):
    agent = sign_in(app, "agent")
    cid, auth = start_chat(client)
    rasa.next_turns.extend([BIN_DAY, POSTCODE, NOT_UNDERSTOOD])
    say(client, cid, auth, "when are my bins collected")
    say(client, cid, auth, "AN1 1AA")
    say(client, cid, auth, "flibbertigibbet")
    say(client, cid, auth, "a person please")  # the fake hands off (topic council_tax)
    [case] = agent.get("/staff/queue.json").json()["waiting"]
    act(agent, case["id"], "claim")
    act(agent, case["id"], "reply", text="Hello, how can I help?")
    act(agent, case["id"], "reply", text="Anything else?")
    act(agent, case["id"], "resolve", outcome="answered")
    rated = client.post(f"/api/conversations/{cid}/rating", headers=auth,
                        json={"score": 4, "comment": "Helpful, ring me on 07700 900123"})
    assert rated.status_code == 200
    again = client.post(f"/api/conversations/{cid}/rating", headers=auth, json={"score": 1})
    assert again.status_code == 409
    figures = sign_in(app, "manager").get("/staff/insights.json").json()
    assert figures["comments"][0]["text"] == "Helpful, ring me on <phone>"
    assert figures["containment"]["journeys"][0]["journey"] == "bin_day_form"

    recorded = events(app, cid)
    assert recorded == [
        ("conversation_started", "general", None, None, None),
        ("message", "general", None, None, None),
        ("intent", "waste", "bin_day", None, None),
        ("journey_started", "waste", "bin_day_form", None, None),
        ("journey_step", "waste", "bin_day_form", "postcode", None),
        ("message", "general", None, None, None),
        ("intent", "waste", "inform", None, None),
        ("journey_completed", "waste", "bin_day_form", None, None),
        ("message", "general", None, None, None),
        ("intent", "general", "nlu_fallback", None, None),
        ("fallback", "general", "nlu_fallback", None, None),
        ("message", "general", None, None, None),
        ("escalated", "council_tax", "council_tax", "normal", 0),
        ("staff_first_reply", "council_tax", None, "live", 0),  # one, however many replies
        ("resolved", "council_tax", None, "answered", 0),
        ("rating", "general", None, "staff", 4),
    ]
    with app.state.runtime.transaction() as session:
        [comment] = session.scalars(select(RatingComment)).all()
        assert comment.text == "Helpful, ring me on <phone>" and comment.score == 4
        texts = {r.name for r in session.scalars(select(InsightEvent)).all()}
    assert not texts & {"when are my bins collected", "AN1 1AA", "flibbertigibbet"}


def test_only_managers_and_admins_read_the_figures(app, client):
    assert client.get("/staff/insights.json").status_code == 401
    agent = sign_in(app, "agent")
    assert agent.get("/staff/insights.json").status_code == 403
    assert agent.get("/staff/insights/satisfaction.csv").status_code == 403
    agent.headers["Accept"] = "text/html"
    assert agent.get("/staff/insights").status_code == 403
    manager = sign_in(app, "manager")
    quiet = manager.get("/staff/insights.json?start=2026-11-01&end=2026-11-02").json()
    assert quiet["demand"]["conversations"] == 0
    assert manager.get("/staff/queue.json").status_code == 403
    csv = manager.get("/staff/insights/satisfaction.csv?start=2026-11-01&end=2026-11-30")
    assert csv.status_code == 200 and csv.text.splitlines()[0] == "score,ratings"
    assert manager.get("/staff/insights.json?end=2026-13-01").status_code == 422
    assert manager.get("/staff/insights.json?start=2026-12-01&end=2026-11-01").status_code \
        == 422
    assert manager.get("/staff/insights/nothing.csv").status_code == 404
    assert sign_in(app, "admin").get("/staff/insights.json").status_code == 200


def test_a_rating_out_of_range_is_refused_and_nothing_is_stored(app, client):
    cid, auth = start_chat(client)
    for body in ({"score": 6}, {"score": 0}, {"score": 3, "comment": "x" * 1001},
                 {"score": 3, "extra": 1}):
        response = client.post(f"/api/conversations/{cid}/rating", headers=auth, json=body)
        assert response.status_code == 422, body
    assert client.post(f"/api/conversations/{cid}/rating", json={"score": 3}).status_code \
        == 401
    assert [e[0] for e in events(app, cid)] == ["conversation_started"]


def test_the_turn_summary_names_the_intent_journeys_and_steps_never_text():
    events = [
        {"event": "action", "name": "action_listen"},
        {"event": "user", "text": "my bins at AN1 1AA",
         "parse_data": {"intent": {"name": "bin_day", "confidence": 0.9}}},
        {"event": "action", "name": "bin_day_form"},
        {"event": "active_loop", "name": "bin_day_form"},
        {"event": "slot", "name": "postcode", "value": "AN1 1AA"},
        {"event": "slot", "name": "requested_slot", "value": "uprn"},
        {"event": "bot", "text": "Which address?"},
        {"event": "action", "name": "action_listen"},
    ]
    turn = summarise(events)
    assert turn == {"intent": "bin_day", "actions": ["bin_day_form"], "loop_before": None,
                    "started": ["bin_day_form"], "steps": [["bin_day_form", "uprn"]],
                    "active_loop": "bin_day_form"}
    assert "AN1" not in json.dumps(turn)
    faq = [{"event": "user", "parse_data": {"intent": {"name": "faq"}, "response_selector": {
        "faq": {"response": {"intent_response_key": "faq/dog_fouling"}}}}}]
    assert summarise(faq)["intent"] == "faq/dog_fouling"


def test_the_queue_flags_a_live_chat_waiting_past_its_reply_target(app, client):
    clock = app.state.runtime.clock
    agent = sign_in(app, "agent")
    cid, auth = start_chat(client)
    say(client, cid, auth, "a person please")
    flagged = {c["conversation_id"]: c["over_target"]
               for c in agent.get("/staff/queue.json").json()["waiting"]}
    assert flagged[cid] is False
    clock.pinned = IN_HOURS + timedelta(minutes=11)  # the target is 10 minutes
    try:
        flagged = {c["conversation_id"]: c["over_target"]
                   for c in agent.get("/staff/queue.json").json()["waiting"]}
    finally:
        clock.pinned = IN_HOURS
    assert flagged[cid] is True
