"""Generated requests from the OpenAPI documents of the gateway's resident API and the stub back
office (schemathesis strategies, run by Hypothesis): no 5xx, every 4xx a JSON error, and a
refused request writes nothing. Examples per operation stay few to keep `make test` lean."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from sqlalchemy import func, select

from bot.backoffice.app import create_app as create_backoffice
from bot.db import Base as GatewayBase
from bot.web.app import create_app as create_gateway
from bot.web.clock import Clock
from tests.bot.web.conftest import IN_HOURS, gateway_settings, serve, start_chat
from tests.bot.web.fake_rasa import FakeRasa
from tests.conftest import AUTH, backoffice_settings

# Examples per operation: the gateway has 7 operations, the back office about 30.
GATEWAY_EXAMPLES, BACKOFFICE_EXAMPLES = 10, 5


def fuzz(examples: int) -> settings:
    return settings(max_examples=examples, deadline=None, database=None, derandomize=True,
                    suppress_health_check=list(HealthCheck))


# A refused council tax verification is counted on purpose: it feeds the per-account lockout.
WRITTEN_ON_REFUSAL = {"ct_verification_failures"}


def row_counts(session_factory, base) -> dict[str, int]:  # type: ignore[no-untyped-def]
    with session_factory() as session:  # type: Session
        return {table.name: session.scalar(select(func.count()).select_from(table))
                for table in base.metadata.sorted_tables
                if table.name not in WRITTEN_ON_REFUSAL}


def check_operations(schema, call: Callable, counts: Callable[[], dict[str, int]],  # type: ignore[no-untyped-def]
                     examples: int) -> int:
    """Runs every operation's examples; returns how many operations were exercised."""
    # A live stream stays open for good; the hostile-input suite checks refused ones.
    operations = [result.ok() for result in schema.get_all_operations()
                  if not result.ok().path.endswith("/stream")]

    for operation in operations:
        @fuzz(examples)
        @given(case=operation.as_strategy())
        def run(case) -> None:  # type: ignore[no-untyped-def]
            before = counts()
            response = call(case)
            where = f"{case.method} {case.formatted_path}"
            assert response.status_code < 500, (where, response.status_code, response.text[:300])
            if response.status_code >= 400:
                assert response.headers["content-type"].startswith("application/json"), where
                assert response.json()["error"]["code"], where
                assert counts() == before, (where, response.status_code)

        run()
    return len(operations)


@pytest.fixture(scope="module")
def fake_rasa() -> Iterator[FakeRasa]:
    rasa = FakeRasa()
    with serve(rasa.app) as url:
        rasa.url = url  # type: ignore[attr-defined]
        yield rasa


def test_the_resident_api_answers_any_generated_request_cleanly(tmp_path, fake_rasa):
    app = create_gateway(gateway_settings(
        tmp_path, fake_rasa.url, chat_rate_per_address="100000/minute",
        chat_rate_per_conversation="100000/minute",
        new_conversation_rate_per_address="100000/minute",
        history_rate_per_conversation="100000/minute"), Clock(IN_HOURS))
    with TestClient(app) as client:
        schema = schemathesis.openapi.from_dict(client.get("/openapi.json").json())
        cid, auth = start_chat(client)
        factory = app.state.runtime.session_factory

        def call(case):  # type: ignore[no-untyped-def]
            if "conversation_id" in (case.path_parameters or {}):
                case.path_parameters["conversation_id"] = cid  # a real chat, its real token
            kwargs = case.as_transport_kwargs(base_url="")
            kwargs.pop("url", None)
            kwargs.pop("method", None)
            kwargs["headers"] = {**(kwargs.get("headers") or {}), **auth}
            return client.request(case.method, case.formatted_path, **kwargs)

        operations = check_operations(schema, call, lambda: row_counts(factory, GatewayBase),
                                      GATEWAY_EXAMPLES)
    print(f"gateway: {operations} operations x {GATEWAY_EXAMPLES} generated examples")
    assert operations >= 6


def test_the_back_office_answers_any_generated_request_cleanly(tmp_path):
    app = create_backoffice(backoffice_settings(tmp_path).copy(
        update={"backoffice_test_switches": False}))
    from bot.backoffice.models import Base as BackOfficeBase

    with TestClient(app) as client:
        schema = schemathesis.openapi.from_dict(client.get("/openapi.json").json())
        factory = app.state.session_factory

        def call(case):  # type: ignore[no-untyped-def]
            kwargs = case.as_transport_kwargs(base_url="")
            kwargs.pop("url", None)
            kwargs.pop("method", None)
            kwargs["headers"] = {**(kwargs.get("headers") or {}), **AUTH}
            return client.request(case.method, case.formatted_path, **kwargs)

        operations = check_operations(schema, call,
                                      lambda: row_counts(factory, BackOfficeBase),
                                      BACKOFFICE_EXAMPLES)
    print(f"back office: {operations} operations x {BACKOFFICE_EXAMPLES} generated examples")
    assert operations >= 8
