"""WasteClient against the stub back office served over real HTTP."""

from __future__ import annotations

import time
from datetime import date

import pytest
import requests
from sqlalchemy import func, select

from actions.backoffice.config import BackOfficeConfig
from actions.backoffice.errors import (
    BackOfficeNotFound,
    BackOfficeRejected,
    BackOfficeTimeout,
    BackOfficeUnavailable,
)
from actions.backoffice.waste import WasteClient
from bot.backoffice.models import BulkyBooking, MissedBinReport
from bot.db import session_scope
from tests.conftest import AUTH, free_port

ACACIA_1, ACACIA_4 = "100000000101", "100000000104"
CHURCH_10, CHURCH_12 = "100000000310", "100000000312"


def pin(served_backoffice, now: str) -> None:
    requests.put(f"{served_backoffice.url}/_admin/clock", json={"now": now}, headers=AUTH,
                 timeout=5).raise_for_status()


def count(served_backoffice, model) -> int:
    with session_scope(served_backoffice.app.state.session_factory) as session:
        return session.scalar(select(func.count()).select_from(model))


@pytest.fixture
def client(served_backoffice) -> WasteClient:
    pin(served_backoffice, "2026-12-21T09:00:00")
    return WasteClient(served_backoffice.config())


def test_get_collections_returns_dataclasses_with_bank_holiday_move(client):
    found = client.get_collections(CHURCH_10)
    assert found.collection_day == "Friday"
    garden = found.for_bin_type("garden")
    assert garden is not None
    assert garden.next.date == date(2026, 12, 29)
    assert garden.next.original_date == date(2026, 12, 25)
    assert garden.next.reason == "Christmas Day bank holiday"
    assert client.get_collections(CHURCH_12).for_bin_type("garden") is None


def test_get_collections_shows_crew_note_on_last_round(client):
    general = client.get_collections(ACACIA_4).for_bin_type("general")
    assert general is not None
    assert (general.last.outcome, general.last.note) == ("not_collected", "bin not presented")


def test_unknown_property_raises_not_found(client):
    with pytest.raises(BackOfficeNotFound) as caught:
        client.get_collections("999999999999")
    assert caught.value.code == "unknown_uprn"


def test_missed_bin_check_and_report(client, served_backoffice):
    pin(served_backoffice, "2026-12-22T17:00:00")
    check = client.check_missed_bin(ACACIA_1, "food")
    assert (check.eligible, check.collection_date) == (True, date(2026, 12, 22))
    report = client.report_missed_bin(ACACIA_1, "food")
    assert report.reference.startswith("MB-") and report.created is True
    assert report.collect_by == date(2026, 12, 24)
    again = client.report_missed_bin(ACACIA_1, "food")
    assert (again.reference, again.created) == (report.reference, False)


def test_missed_bin_refusal_raises_rejected_with_code_and_reason(client):
    with pytest.raises(BackOfficeRejected) as caught:
        client.report_missed_bin(ACACIA_4, "general")
    assert caught.value.code == "crew_reported"
    assert caught.value.status_code == 409
    assert caught.value.details["reason"] == "bin not presented"


def test_missed_bin_too_early_is_reported_by_the_check(client, served_backoffice):
    pin(served_backoffice, "2026-12-22T10:00:00")
    check = client.check_missed_bin(ACACIA_1, "recycling")
    assert (check.eligible, check.code) == (False, "too_early")
    assert check.window_opens.hour == 16


def test_bulky_catalogue_quote_slots_and_booking(client, served_backoffice):
    catalogue = client.get_bulky_catalogue()
    assert "sofa" in {i.name for i in catalogue.items}
    assert "HWRC" in catalogue.not_accepted["paint"]
    quote = client.quote_bulky({"sofa": 1, "chair": 4})
    assert (quote.item_count, quote.price_pence, str(quote.price)) == (5, 5000, "50")
    slot = next(s for s in client.get_bulky_slots(ACACIA_1) if s.available)
    booking = client.book_bulky(ACACIA_1, slot.date, {"sofa": 1, "chair": 4})
    assert booking.reference.startswith("BW-")
    assert (booking.collection_date, booking.price_pence) == (slot.date, 5000)
    assert booking.items == {"sofa": 1, "chair": 4}
    assert count(served_backoffice, BulkyBooking) == 1


def test_bulky_item_not_taken_raises_rejected_with_advice(client):
    with pytest.raises(BackOfficeRejected) as caught:
        client.quote_bulky({"asbestos": 1})
    assert caught.value.code == "item_not_accepted"
    assert "contractor" in caught.value.details["advice"]


def test_full_slot_raises_rejected_slot_full(client):
    slot = client.get_bulky_slots(CHURCH_10)[0]
    for _ in range(slot.remaining):
        client.book_bulky(CHURCH_10, slot.date, {"mattress": 1})
    with pytest.raises(BackOfficeRejected) as caught:
        client.book_bulky(CHURCH_12, slot.date, {"mattress": 1})
    assert (caught.value.code, caught.value.status_code) == ("slot_full", 409)
    assert client.get_bulky_slots(CHURCH_10)[0].available is False


def test_container_options_and_request(client):
    options = {(o.container, o.reason): o for o in client.get_container_options(ACACIA_1)}
    assert options[("general", "stolen")].charge_pence == 2500
    assert options[("garden", "new")].available is False
    made = client.request_container(ACACIA_1, "general", "damaged", damaged_by_crew=True)
    assert made.reference.startswith("CR-")
    assert (made.charge_pence, made.deliver_by) == (0, date(2027, 1, 7))


def test_container_refusal_raises_rejected_with_code(client):
    with pytest.raises(BackOfficeRejected) as caught:
        client.request_container(CHURCH_12, "garden", "new")
    assert caught.value.code == "not_subscribed"


def test_search_items_exact_and_suggestions(client):
    exact = client.search_items("pizza boxes")
    assert exact.match is not None and exact.match.bin == "recycling"
    fuzzy = client.search_items("matress")
    assert fuzzy.match is None
    assert fuzzy.suggestions[0].name == "mattress"
    assert fuzzy.suggestions[0].score is not None


def test_outage_raises_unavailable_and_writes_nothing(client, served_backoffice):
    pin(served_backoffice, "2026-12-22T17:00:00")
    served_backoffice.set_faults(outage=True)
    with pytest.raises(BackOfficeUnavailable):
        client.get_collections(ACACIA_1)
    with pytest.raises(BackOfficeUnavailable):
        client.report_missed_bin(ACACIA_1, "food")
    served_backoffice.set_faults(outage=False)
    assert count(served_backoffice, MissedBinReport) == 0


def test_latency_above_read_timeout_raises_timeout(served_backoffice):
    served_backoffice.set_faults(latency_ms=1500)
    client = WasteClient(served_backoffice.config(read_timeout=0.3, retries=0))
    with pytest.raises(BackOfficeTimeout):
        client.get_collections(ACACIA_1)


def test_timed_out_write_retried_with_same_key_is_done_once(served_backoffice):
    pin(served_backoffice, "2026-12-22T17:00:00")
    served_backoffice.set_faults(latency_ms=800)
    slow = WasteClient(served_backoffice.config(read_timeout=0.2, retries=0))
    with pytest.raises(BackOfficeTimeout):
        slow.request_container(ACACIA_1, "food", "stolen", idempotency_key="retry-me")
    time.sleep(1.0)  # the system finishes the first attempt after the client gave up
    served_backoffice.set_faults(latency_ms=0)
    client = WasteClient(served_backoffice.config())
    first = client.request_container(ACACIA_1, "food", "stolen", idempotency_key="retry-me")
    again = client.request_container(ACACIA_1, "food", "stolen", idempotency_key="retry-me")
    assert first == again


def test_unreachable_system_raises_unavailable():
    config = BackOfficeConfig(base_url=f"http://127.0.0.1:{free_port()}", token="t",
                              connect_timeout=0.5, retries=1, backoff_seconds=0.01)
    with pytest.raises(BackOfficeUnavailable):
        WasteClient(config).search_items("sofa")
