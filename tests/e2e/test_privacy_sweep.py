"""Privacy sweep: a full set of journeys on the real stack (bins, council tax, a rough sleeping
report, a hand-off with call-back details, "Not helpful" feedback, a typed card number),
then every database table and every log file is searched for the demo residents' details.
Each may be only where the retention rules allow it, never in a log; the card number nowhere.
After the retention periods, only the council's own systems of record hold them."""

from __future__ import annotations

import logging
import re
from datetime import datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from bot.privacy import service
from bot.privacy.tracker import tracker_url
from bot.web.app import create_app
from bot.web.clock import Clock
from tests.bot.web.conftest import IN_HOURS, act, gateway_settings, say, sign_in, start_chat

pytestmark = pytest.mark.live_stack

ALEX = {"account": "500000001", "surname": "Example", "postcode": "AN1 1AA"}  # contract s.3
CONTACT = {"name": "Sam Sample", "phone": "07700 900456", "email": "sam.resident@mail.test"}
REPORTER, REPORTER_PHONE, DESCRIPTION = "Pat Smith", "07700 900123", "grey beard"
CARD = "4111 1111 1111 1111"
# A phone number in any of the forms it is written or stored in ("07700 900123",
# "07700900123", "+44 7700 900123"); six bare digits alone turn up in timestamps and scores.
PHONE = r"7700[\s-]?{}"
DETAILS = {
    "account number": ALEX["account"], "surname": ALEX["surname"],
    "council tax postcode": ALEX["postcode"], "address": "1 Acacia Avenue",
    "contact email": CONTACT["email"], "contact phone": PHONE.format("900456"),
    "reporter": REPORTER, "reporter phone": PHONE.format("900123"), "description": DESCRIPTION,
    "card": CARD, "card digits": CARD.replace(" ", ""),
}
PATTERNS = {name: re.compile(value if "phone" in name else re.escape(value))
            for name, value in DETAILS.items()}


def details_in(text: str) -> set[str]:
    return {name for name, pattern in PATTERNS.items() if pattern.search(text)}
# Where each detail may be, by table, while its retention period runs.
ALLOWED = {
    "messages": {"account number", "surname", "council tax postcode", "address"},  # transcript
    "escalations": {"contact email", "contact phone"},  # call-back details
    "rs_reports": {"reporter", "reporter phone", "description"},  # the report itself
    "idempotency_records": {"reporter", "reporter phone", "description", "address"},
    # The assistant's own postcode question quotes AN1 1AA as its example.
    "events": {"council tax postcode"},
}
# The council's systems of record (stub back office seed data): kept by their own schedules.
SYSTEMS_OF_RECORD = {"ct_accounts": {"account number", "surname"},
                     "addresses": {"council tax postcode", "address"},
                     "ct_arrangements": {"account number"},
                     "ct_property_bands": set(), "rs_reports": {"description"}}


def found_in_tables(urls: list[str], conversations: list[str]) -> dict[str, set[str]]:
    """Rasa's tracker store is the whole test session's: only these conversations are read."""
    found: dict[str, set[str]] = {}
    mine = sa.text('SELECT * FROM "events" WHERE sender_id IN :ids').bindparams(
        sa.bindparam("ids", conversations, expanding=True))
    for url in urls:
        engine = sa.create_engine(url)
        with engine.connect() as connection:
            for table in sa.inspect(connection).get_table_names():
                query = mine if table == "events" else sa.text(f'SELECT * FROM "{table}"')
                for row in connection.execute(query):
                    text = " ".join(str(v) for v in row)
                    found.setdefault(table, set()).update(details_in(text))
        engine.dispose()
    return {table: names for table, names in found.items() if names}


def found_in_logs(paths: list[Path], captured: str) -> dict[str, set[str]]:
    found = {str(p): details_in(p.read_text(errors="replace")) for p in paths}
    found["gateway (captured)"] = details_in(captured)
    return {where: names for where, names in found.items() if names}


def chat(client, *turns: str) -> tuple[str, dict, list[dict]]:  # type: ignore[no-untyped-def]
    cid, auth = start_chat(client)
    replies: list[dict] = []
    for turn in turns:
        replies = say(client, cid, auth, turn)["messages"]
    return cid, auth, replies


def press(client, cid: str, auth: dict, payload_like: str, replies: list[dict]) -> list[dict]:  # type: ignore[no-untyped-def]
    button = next(b for m in replies for b in m.get("buttons") or []
                  if payload_like in b["title"])
    response = client.post(f"/api/conversations/{cid}/messages", headers=auth,
                           json={"payload": button["payload"], "text": button["title"]})
    assert response.status_code == 200, response.text
    return response.json()["messages"]


def all_journeys(client) -> list[str]:  # type: ignore[no-untyped-def]
    # Bins, on another street than Alex's.
    cids = []
    cid, auth, replies = chat(client, "when is my bin day", "AN2 3CC")
    cids.append(cid)
    replies = press(client, cid, auth, "10 Church Lane", replies)
    assert "Friday" in " ".join(m["text"] for m in replies)
    # Council tax: Alex checks the balance, then asks something else on the same check.
    cid, auth, replies = chat(client, "how much council tax do I owe", ALEX["account"],
                              ALEX["surname"], ALEX["postcode"])
    cids.append(cid)
    assert "band C" in " ".join(m["text"] for m in replies), replies
    replies = say(client, cid, auth, "how can I pay")["messages"]
    # A card number typed into the chat, then "Not helpful" on the answer.
    replies = say(client, cid, auth, f"can I pay with my card {CARD}")["messages"]
    feedback = client.post(f"/api/conversations/{cid}/feedback", headers=auth,
                           json={"message_id": replies[-1]["id"]})
    assert feedback.status_code == 200, feedback.text
    # A rough sleeping report with the reporter's contact details.
    cid, auth = start_chat(client)
    cids.append(cid)
    say(client, cid, auth, "someone is sleeping in the bus shelter opposite the library on "
        "Church Lane")
    for answer in ("no", "no", "last night around 11", f"Man about 50, {DESCRIPTION}", "yes",
                   f"{REPORTER}, {REPORTER_PHONE}", "no", "yes"):
        replies = say(client, cid, auth, answer)["messages"]
    assert re.search(r"RS-\d{6}", " ".join(m["text"] for m in replies)), replies
    # A hand-off to staff, and call-back details left with it.
    cid, auth, replies = chat(client, "put me through to an advisor")
    cids.append(cid)
    left = client.post(f"/api/conversations/{cid}/contact", headers=auth, json=CONTACT)
    assert left.status_code == 200, left.text
    return cids


def test_personal_data_is_only_where_retention_allows_and_never_in_a_log(live_stack, tmp_path,
                                                                          caplog):
    caplog.set_level(logging.DEBUG)
    settings = gateway_settings(
        tmp_path, live_stack.rasa_url, rasa_token=live_stack.rasa_token,
        rasa_timeout_seconds=60, backoffice_database_url=(
            live_stack.settings.backoffice_database_url),
        rasa_tracker_db=live_stack.settings.rasa_tracker_db, privacy_purge_every_minutes=0)
    app = create_app(settings, Clock(IN_HOURS))
    with TestClient(app) as client:
        conversations = all_journeys(client)
        agent = sign_in(app, "agent")
        [case] = agent.get("/staff/queue.json").json()["waiting"]
        for step, form in (("claim", {}), ("resolve", {"outcome": "called_back"})):
            assert act(agent, case["id"], step, **form).status_code == 200

    urls = [settings.database_url, settings.backoffice_database_url,
            tracker_url(settings).render_as_string(hide_password=False)]
    logs = sorted(p for p in Path(live_stack.log_dir).rglob("*.log"))
    assert logs, "the stack's processes write their logs here"
    assert found_in_logs(logs, caplog.text) == {}
    # Verification is left in Rasa's slots while it is fresh; a quiet hour later it is gone.
    service.purge(settings, datetime.utcnow() + timedelta(minutes=61))
    found = found_in_tables(urls, conversations)
    assert {t: names - ALLOWED.get(t, set()) - SYSTEMS_OF_RECORD.get(t, set())
            for t, names in found.items()
            if names - ALLOWED.get(t, set()) - SYSTEMS_OF_RECORD.get(t, set())} == {}
    # Rasa's records: nothing personal once a journey ends
    assert found.get("events", set()) <= ALLOWED["events"]
    assert {"messages", "escalations", "rs_reports"} <= set(found)

    service.purge(settings, datetime.utcnow() + timedelta(days=200))
    left = found_in_tables(urls, conversations)
    assert "events" not in left and "messages" not in left and "escalations" not in left
    assert {t: names - SYSTEMS_OF_RECORD.get(t, set()) for t, names in left.items()
            if names - SYSTEMS_OF_RECORD.get(t, set())} == {}
    assert found_in_logs(logs, caplog.text) == {}
