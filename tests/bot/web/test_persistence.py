"""The gateway on its migrated database: data survives a restart; the console runs on PostgreSQL."""

from __future__ import annotations

import uuid

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from bot.db import make_engine
from bot.web.app import create_app
from tests.bot.web.conftest import act, gateway_settings, say, sign_in, start_chat

POSTGRES = "postgresql://postgres@127.0.0.1:5432/test"


def test_data_survives_a_gateway_restart(tmp_path, fake_rasa, clock):
    settings = gateway_settings(tmp_path, fake_rasa.url)
    with TestClient(create_app(settings, clock)) as client:
        cid, auth = start_chat(client)
        say(client, cid, auth, "hello")
    with TestClient(create_app(settings, clock)) as client:
        stored = client.get(f"/api/conversations/{cid}/messages", headers=auth).json()
        assert [m["text"] for m in stored["messages"]] == ["hello", "You said: hello"]


@pytest.mark.postgres
def test_escalation_flow_on_postgresql(tmp_path, fake_rasa, clock):
    try:
        admin_engine = make_engine(POSTGRES)
        with admin_engine.begin() as connection:
            schema = f"gateway_{uuid.uuid4().hex[:10]}"
            connection.execute(text(f"CREATE SCHEMA {schema}"))
    except Exception as exc:  # noqa: BLE001
        pytest.skip(f"PostgreSQL not reachable: {type(exc).__name__}")
    url = f"{POSTGRES}?options=-csearch_path%3D{schema}"
    try:
        app = create_app(gateway_settings(tmp_path, fake_rasa.url, database_url=url), clock)
        with TestClient(app) as client:
            agent = sign_in(app, "agent")
            cid, auth = start_chat(client)
            say(client, cid, auth, "a person please")
            [case] = agent.get("/staff/queue.json").json()["waiting"]
            assert act(agent, case["id"], "claim").status_code == 200
            assert act(sign_in(app, "admin"), case["id"], "claim").status_code == 409
            act(agent, case["id"], "reply", text="Hello from PostgreSQL")
            history = client.get(f"/api/conversations/{cid}/messages", headers=auth).json()
            assert history["messages"][-1]["text"] == "Hello from PostgreSQL"
        app.state.engine.dispose()
    finally:
        with admin_engine.begin() as connection:
            connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin_engine.dispose()
