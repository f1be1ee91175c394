"""Retention and erasure on real SQLite and real PostgreSQL: the gateway's database, Rasa's
own tracker store and the stub back office. After a purge or an erasure, none of the demo
resident's personal data is in any table."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.backoffice.models import Base as BackOfficeBase
from bot.backoffice.models import IdempotencyRecord, RoughSleepingReport
from bot.content.models import InboxItem
from bot.db import make_engine, make_session_factory, session_scope
from bot.migrations import upgrade_to_head
from bot.privacy import report, service
from bot.rasa.tracker_store import RedactingSQLTrackerStore
from bot.settings import PROJECT_DIR, Settings
from bot.web.models import AuditEntry, Conversation, Escalation, Message, Note

POSTGRES = "postgresql://postgres@127.0.0.1:5432/"
NOW = datetime(2026, 12, 1, 10, 0)
# docs/contract.md section 3: Alex Example, account 500000001, 1 Acacia Avenue, AN1 1AA.
ACCOUNT, SURNAME, POSTCODE, ADDRESS = "500000001", "Example", "AN1 1AA", "1 Acacia Avenue"
EMAIL, PHONE = "alex.resident@mail.test", "07700 900456"
PERSONAL = (ACCOUNT, SURNAME, POSTCODE, ADDRESS, EMAIL, PHONE, "900456", "Alex")


@pytest.fixture(scope="module")
def domain() -> Domain:
    return Domain.load(str(PROJECT_DIR / "domain.yml"))


def postgres_database() -> Iterator[str]:
    name = f"privdata_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(POSTGRES + "test", isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f"CREATE DATABASE {name}"))
    try:
        yield name
    finally:
        with admin.connect() as connection:
            connection.execute(sa.text(f"DROP DATABASE {name} WITH (FORCE)"))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def settings(request, tmp_path: Path) -> Iterator[Settings]:
    if request.param == "sqlite":
        yield Settings(_env_file=None, var_dir=tmp_path,
                       database_url=f"sqlite:///{tmp_path / 'gateway.db'}",
                       backoffice_database_url=f"sqlite:///{tmp_path / 'backoffice.db'}",
                       rasa_tracker_db=str(tmp_path / "tracker.db"))
        return
    databases = postgres_database()
    name = next(databases)
    yield Settings(_env_file=None, var_dir=tmp_path, database_url=POSTGRES + name,
                   backoffice_database_url=POSTGRES + name, rasa_tracker_dialect="postgresql",
                   rasa_tracker_db=name, rasa_tracker_user="postgres")
    next(databases, None)


# --- one resident's data in every store -----------------------------------------------------

def gateway_conversation(settings: Settings, conversation_id: str, when: datetime) -> None:
    engine = make_engine(settings.database_url)
    upgrade_to_head(engine)
    with session_scope(make_session_factory(engine)) as session:
        session.add(Conversation(id=conversation_id, token_hash="0" * 64, state="closed",
                                 created_at=when, updated_at=when))
        for sender, text in (("resident", "how much council tax do I owe"),
                             ("bot", "What is your account number?"),
                             ("resident", f"{ACCOUNT}, {SURNAME}, {POSTCODE}"),
                             ("bot", f"Your council tax for {ADDRESS}, Anytown, {POSTCODE}"),
                             ("bot", "Your reference is RS-654321.")):
            session.add(Message(conversation_id=conversation_id, sender=sender, text=text,
                                buttons=[], created_at=when))
        session.flush()
        case = Escalation(conversation_id=conversation_id, kind="callback", status="resolved",
                          topic="council_tax", summary="Call back about arrears",
                          priority="normal", safeguarding=False, references={}, verified=True,
                          opened_at=when, closed_at=when, contact_name=f"Alex {SURNAME}",
                          contact_phone=PHONE, contact_email=EMAIL)
        session.add(case)
        session.flush()
        session.execute(sa.text("INSERT INTO staff_users (username, display_name, role, "
                                "password_hash, active, failed_logins, created_at) VALUES "
                                "('agent1', 'Agent', 'agent', 'x', true, 0, :at)"), {"at": when})
        staff_id = session.scalar(sa.text("SELECT id FROM staff_users WHERE username='agent1'"))
        session.add(Note(escalation_id=case.id, staff_id=staff_id, created_at=when,
                         text=f"Rang {PHONE}, spoke to Alex"))
    engine.dispose()


async def tracker_conversation(settings: Settings, domain: Domain, conversation_id: str,
                               when: datetime) -> None:
    kwargs = ({"dialect": "sqlite", "db": settings.rasa_tracker_db}
              if settings.rasa_tracker_dialect == "sqlite" else
              {"dialect": "postgresql", "host": "127.0.0.1", "port": 5432,
               "db": settings.rasa_tracker_db, "username": "postgres"})
    store = RedactingSQLTrackerStore(domain, **kwargs)
    tracker = DialogueStateTracker(conversation_id, domain.slots)
    stamp = (when - datetime(1970, 1, 1)).total_seconds()
    for event in (ActionExecuted("action_listen"),
                  UserUttered(f"{ACCOUNT} {SURNAME} {POSTCODE}", {"name": "ct_details"}),
                  SlotSet("ct_account_number", ACCOUNT), SlotSet("ct_surname", SURNAME),
                  SlotSet("rs_contact_email", EMAIL), SlotSet("ct_token", "secret-token"),
                  BotUttered(f"Your council tax for {ADDRESS}, {POSTCODE}"),
                  ActionExecuted("action_listen")):
        event.timestamp = stamp
        tracker.update(event)
    await store.save(tracker)
    store.engine.dispose()


def backoffice_records(settings: Settings, when: datetime) -> None:
    engine = make_engine(settings.backoffice_database_url)
    BackOfficeBase.metadata.create_all(engine)
    with session_scope(make_session_factory(engine)) as session:
        session.add(RoughSleepingReport(
            reference="RS-654321", status="received", created_at=when, location_text="bus stop",
            seen_at=when, person_description="someone", people_count=1, under_18=False,
            immediate_danger=False, reporter_name=f"Alex {SURNAME}", reporter_phone="07700900456",
            reporter_email=EMAIL, consent_to_contact=True, consent_to_updates=True,
            routed_to_kind="outreach_team", update_due=when.date() + timedelta(days=14)))
        session.add(IdempotencyRecord(key=str(uuid.uuid4()), request_fingerprint="f" * 64,
                                      status_code=201, created_at=when,
                                      response_body=json.dumps({"reporter_email": EMAIL})))
    engine.dispose()


async def resident_everywhere(settings: Settings, domain: Domain, when: datetime = NOW,
                              conversation_id: str = "conv-alex") -> None:
    gateway_conversation(settings, conversation_id, when)
    await tracker_conversation(settings, domain, conversation_id, when)
    backoffice_records(settings, when)


def personal_data_found(settings: Settings) -> dict[str, list[str]]:
    """Every table of every store, every column read as text: where the details are."""
    found: dict[str, list[str]] = {}
    urls = {settings.database_url, settings.backoffice_database_url,
            str(service.tracker.tracker_url(settings).render_as_string(hide_password=False))}
    for url in urls:
        engine = sa.create_engine(url)
        with engine.connect() as connection:
            for table in sa.inspect(connection).get_table_names():
                for row in connection.execute(sa.text(f'SELECT * FROM "{table}"')):
                    text = " ".join(str(value) for value in row)
                    for detail in PERSONAL:
                        if detail in text:
                            found.setdefault(table, []).append(detail)
        engine.dispose()
    return found


def left_on_disk(settings: Settings) -> dict[str, list[str]]:
    """SQLite: the details still in the database files' bytes, free pages and logs included."""
    found: dict[str, list[str]] = {}
    for url in (settings.database_url, settings.backoffice_database_url,
                str(service.tracker.tracker_url(settings))):
        parsed = sa.engine.make_url(url)
        if parsed.get_backend_name() != "sqlite":
            continue
        for path in Path(parsed.database).parent.glob(Path(parsed.database).name + "*"):
            data = path.read_bytes()
            found.update({path.name: [d for d in PERSONAL if d.encode() in data]})
    return {name: details for name, details in found.items() if details}


# --- retention ------------------------------------------------------------------------------

async def test_nothing_is_purged_before_its_time(settings, domain):
    await resident_everywhere(settings, domain)
    counts = service.purge(settings, NOW + timedelta(minutes=30))
    assert not any(counts.values()), counts
    found = personal_data_found(settings)
    assert {"messages", "escalations", "notes", "events", "rs_reports"} <= set(found)


async def test_after_every_period_no_personal_data_is_left_in_any_table(settings, domain):
    await resident_everywhere(settings, domain)
    counts = service.purge(settings, NOW + timedelta(days=settings.retention_conversation_days
                                                     + 1))
    assert counts["conversations_deleted"] == 1 and counts["tracker_events_deleted"] == 8
    assert counts["reporter_contacts_cleared"] == 1 and counts["idempotency_records_deleted"] == 1
    assert personal_data_found(settings) == {}
    # twice is the same as once
    assert service.purge(settings, NOW + timedelta(days=200)) == dict.fromkeys(counts, 0)


async def test_contact_details_go_first_then_the_conversation(settings, domain):
    await resident_everywhere(settings, domain)
    counts = service.purge(settings, NOW + timedelta(days=settings.retention_contact_days + 1))
    assert counts["contact_details_cleared"] == 1 and counts["conversations_deleted"] == 0
    assert counts["tracker_events_deleted"] == 1 * 8  # Rasa's records: 30 days
    found = personal_data_found(settings)
    assert "escalations" not in found and "events" not in found
    assert ACCOUNT in found["messages"]  # the transcript and case notes stay their 90 days
    assert EMAIL in found["rs_reports"]  # 30 days after the update due in 14 days
    service.purge(settings, NOW + timedelta(days=14 + settings.retention_contact_days + 1))
    assert "rs_reports" not in personal_data_found(settings)


async def test_a_quiet_chat_loses_its_verification_slots_first(settings, domain):
    await resident_everywhere(settings, domain)
    counts = service.purge(settings, NOW + timedelta(minutes=61))
    assert counts["tracker_verification_slots_blanked"] == 3  # account, surname, token
    engine = sa.create_engine(service.tracker.tracker_url(settings))
    with engine.connect() as connection:
        slots = [json.loads(d) for d, in connection.execute(
            sa.text("SELECT data FROM events WHERE type_name = 'slot'"))]
    engine.dispose()
    assert {s["name"]: s["value"] for s in slots}["ct_token"] == "[redacted]"


@pytest.mark.parametrize("settings", ["postgresql"], indirect=True)
async def test_replicas_purging_at_once_take_turns(settings, domain):
    await resident_everywhere(settings, domain)
    later = NOW + timedelta(days=100)
    with ThreadPoolExecutor(3) as pool:  # .result() raises what a replica's purge raised
        results = [f.result() for f in [pool.submit(service.purge, settings, later)
                                        for _ in range(3)]]
    assert sum(r.get("conversations_deleted", 0) for r in results) == 1
    assert personal_data_found(settings) == {}


# --- erasure and subject access -------------------------------------------------------------

@pytest.mark.parametrize("how", [{"email": EMAIL.upper()}, {"phone": "07700900456"},
                                 {"conversation_id": "conv-alex"}])
async def test_erasure_leaves_nothing_and_records_only_that_it_happened(settings, domain, how):
    await resident_everywhere(settings, domain)
    running_gateway = make_engine(settings.database_url)  # its open connection keeps the log
    with running_gateway.connect() as connection:
        connection.execute(sa.text("SELECT count(*) FROM messages"))
        with service.stores(settings) as made:
            removed = service.erase(made, service.Subject.of(**how), reference="DPO-17",
                                    now=NOW)
        assert left_on_disk(settings) == {}  # overwritten, not only unlinked from the tables
    running_gateway.dispose()
    assert removed["conversations_deleted"] == 1 and removed["tracker_events_deleted"] == 8
    assert removed["reporter_contacts_cleared"] == 1
    assert personal_data_found(settings) == {}
    engine = make_engine(settings.database_url)
    with session_scope(make_session_factory(engine)) as session:
        [entry] = session.scalars(sa.select(AuditEntry)).all()
        assert entry.action == "privacy_erase" and entry.detail["reference"] == "DPO-17"
    engine.dispose()


async def test_erasure_keeps_other_residents(settings, domain):
    await resident_everywhere(settings, domain)
    engine = make_engine(settings.database_url)
    with session_scope(make_session_factory(engine)) as session:
        session.add(Conversation(id="conv-other", token_hash="1" * 64, state="bot",
                                 created_at=NOW, updated_at=NOW))
        session.add(Message(conversation_id="conv-other", sender="resident", text="bin day",
                            buttons=[], created_at=NOW))
    engine.dispose()
    with service.stores(settings) as made:
        service.erase(made, service.Subject.of(email=EMAIL), now=NOW)
        assert service.find(made, service.Subject.of(conversation_id="conv-other")).anything


async def test_export_holds_everything_about_the_resident_and_html_escapes_it(settings,
                                                                              domain):
    await resident_everywhere(settings, domain)
    with service.stores(settings) as made:
        data = service.export(made, service.Subject.of(phone=PHONE), now=NOW)
    [conversation] = data["conversations"]
    assert conversation["cases"][0]["contact_email"] == EMAIL
    assert conversation["cases"][0]["staff_notes"][0]["text"].startswith("Rang")
    assert any(e.get("value") == ACCOUNT for e in data["assistant_records"]["conv-alex"])
    assert data["rough_sleeping_reports"][0]["your_email"] == EMAIL
    html = report.as_html(data)
    assert EMAIL in html and ACCOUNT in html and "<script" not in html.lower()
    assert json.loads(report.as_json(data)) == json.loads(json.dumps(data, default=str))


@pytest.mark.parametrize("bad", [{}, {"email": "not-an-email"}, {"phone": "12"},
                                 {"conversation_id": "../etc"},
                                 {"email": EMAIL, "phone": PHONE}])
def test_a_resident_badly_named_is_refused(bad):
    with pytest.raises(service.BadSubject):
        service.Subject.of(**bad)



def test_inbox_questions_go_once_answered_or_after_their_period(settings):
    engine = make_engine(settings.database_url)
    upgrade_to_head(engine)
    with session_scope(make_session_factory(engine)) as session:
        session.add_all([
            InboxItem(text="bins for <person>", reason="not_helpful", status="new",
                      received_at=NOW),
            InboxItem(text="answered already", reason="fallback", status="answered",
                      received_at=NOW, handled_at=NOW),
        ])
    engine.dispose()

    def left() -> list[str]:
        engine = make_engine(settings.database_url)
        with session_scope(make_session_factory(engine)) as session:
            texts = sorted(session.scalars(sa.select(InboxItem.text)))
        engine.dispose()
        return texts

    counts = service.purge(settings, NOW + timedelta(
        days=settings.retention_inbox_answered_days, minutes=1))
    assert counts["inbox_items_deleted"] == 1 and left() == ["bins for <person>"]
    service.purge(settings, NOW + timedelta(days=settings.retention_inbox_days + 1))
    assert left() == []
