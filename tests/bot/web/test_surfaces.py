"""The gateway's surfaces: security headers, CORS, body limits, rate limits behind a proxy and
with Redis down. One gateway serves the whole module (its start-up loads spaCy)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from bot.web.app import create_app
from bot.web.clock import Clock
from bot.web.data import conversations as conv_data
from bot.web.ratelimit import RateLimiter
from tests.bot.web.conftest import IN_HOURS, gateway_settings, serve, sign_in, start_chat
from tests.bot.web.fake_rasa import FakeRasa

COUNCIL = "https://www.anytown.gov.uk"
PROXY = "10.0.0.5"
# Nothing listens on port 1: every Redis call fails to connect.
REDIS_DOWN = "redis://127.0.0.1:1/0"


@pytest.fixture(scope="module")
def fake_rasa() -> Iterator[FakeRasa]:
    rasa = FakeRasa()
    with serve(rasa.app) as url:
        rasa.url = url  # type: ignore[attr-defined]
        yield rasa


@pytest.fixture(scope="module")
def app(tmp_path_factory, fake_rasa):  # type: ignore[no-untyped-def]
    settings = gateway_settings(
        tmp_path_factory.mktemp("surfaces"), fake_rasa.url, widget_allowed_origins=COUNCIL,
        trusted_proxies=PROXY, redis_url=REDIS_DOWN, history_rate_per_conversation="3/minute",
        new_conversation_rate_per_address="5/minute")
    return create_app(settings, Clock(IN_HOURS))


@pytest.fixture(scope="module")
def client(app) -> Iterator[TestClient]:  # type: ignore[no-untyped-def]
    with TestClient(app) as test_client:
        yield test_client


def stored_messages(app, cid: str) -> int:  # type: ignore[no-untyped-def]
    with app.state.runtime.transaction() as session:
        return len(conv_data.messages_after(session, cid, 0, limit=1000))


def test_staff_pages_and_json_are_never_cached_and_carry_the_policies(app, client):
    agent = sign_in(app, "agent")
    for response in (agent.get("/staff"), agent.get("/staff/queue.json"),
                     client.get("/staff/login"), client.post("/api/conversations")):
        assert response.headers["cache-control"] == "no-store", response.url
        assert "camera=()" in response.headers["permissions-policy"]
        assert "strict-transport-security" not in response.headers  # plain HTTP
    assert "no-store" not in client.get("/static/widget.js").headers.get("cache-control", "")
    assert client.get("/staff/login").headers["x-frame-options"] == "DENY"


def test_hsts_only_over_tls_as_reported_by_a_trusted_proxy(app):
    tls = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9"}
    via_proxy = TestClient(app, client=(PROXY, 40000)).get("/staff/login", headers=tls)
    assert via_proxy.headers["strict-transport-security"].startswith("max-age=31536000")
    forged = TestClient(app, client=("198.51.100.7", 40000)).get("/staff/login", headers=tls)
    assert "strict-transport-security" not in forged.headers


def test_cors_allows_only_the_councils_sites(client):
    def preflight(origin: str):  # type: ignore[no-untyped-def]
        return client.options("/api/conversations", headers={
            "Origin": origin, "Access-Control-Request-Method": "POST"})

    assert preflight(COUNCIL).headers["access-control-allow-origin"] == COUNCIL
    assert "access-control-allow-origin" not in preflight("https://evil.example").headers
    assert "access-control-allow-credentials" not in preflight(COUNCIL).headers


def test_a_body_over_the_limit_is_refused_as_json_and_nothing_is_stored(app, client):
    cid, auth = start_chat(client)
    big = client.post(f"/api/conversations/{cid}/messages", headers=auth,
                      content=b'{"text": "' + b"a" * 100_000 + b'"}')
    assert big.status_code == 413 and big.json()["error"]["code"] == "too_large"

    def chunks() -> Iterator[bytes]:  # no Content-Length: counted as it arrives
        yield b'{"text": "'
        for _ in range(20):
            yield b"b" * 5000
        yield b'"}'

    chunked = client.post(f"/api/conversations/{cid}/messages", content=chunks(),
                          headers={**auth, "Content-Type": "application/json"})
    assert chunked.status_code == 413 and chunked.json()["error"]["code"] == "too_large"
    assert stored_messages(app, cid) == 0


def test_rate_limits_key_on_the_client_a_trusted_proxy_names(app):
    behind_proxy = TestClient(app, client=(PROXY, 40000))
    residents = [f"203.0.113.{n}" for n in (1, 2)]
    for _ in range(5):
        assert behind_proxy.post("/api/conversations", headers={
            "X-Forwarded-For": residents[0]}).status_code == 201
    assert behind_proxy.post("/api/conversations", headers={
        "X-Forwarded-For": residents[0]}).status_code == 429
    # Another resident behind the same load balancer is not held back by the first.
    assert behind_proxy.post("/api/conversations", headers={
        "X-Forwarded-For": residents[1]}).status_code == 201
    # A client that is not the proxy cannot pick its own address by sending the header.
    direct = TestClient(app, client=("198.51.100.20", 40000))
    for n in range(5):
        direct.post("/api/conversations", headers={"X-Forwarded-For": f"192.0.2.{n}"})
    assert direct.post("/api/conversations", headers={
        "X-Forwarded-For": "192.0.2.99"}).status_code == 429


def test_history_is_rate_limited_per_conversation_with_redis_down(client):
    """REDIS_DOWN: every limit above and here was counted in-process, never a 500."""
    cid, auth = start_chat(TestClient(client.app, client=("198.51.100.30", 1)))
    for _ in range(3):
        assert client.get(f"/api/conversations/{cid}/messages", headers=auth).status_code == 200
    refused = client.get(f"/api/conversations/{cid}/messages", headers=auth)
    assert refused.status_code == 429 and "retry-after" in refused.headers


def test_the_limiter_falls_back_to_memory_when_redis_is_unreachable():
    limiter = RateLimiter(REDIS_DOWN)
    assert limiter.allowed("2/minute", "k")
    limiter.check("2/minute", "k")
    limiter.count("2/minute", "k")
    assert not limiter.allowed("2/minute", "k")
    limiter.clear("2/minute", "k")
    assert limiter.allowed("2/minute", "k")
