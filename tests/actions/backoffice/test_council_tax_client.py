"""CouncilTaxClient against the stub back office served over real HTTP."""

from __future__ import annotations

import time
from datetime import date
from decimal import Decimal

import pytest
import requests
from sqlalchemy import func, select

from actions.backoffice.council_tax import (
    TOO_MANY_ATTEMPTS,
    VERIFICATION_FAILED,
    VERIFICATION_LAPSED,
    AccountSummary,
    CouncilTaxClient,
)
from actions.backoffice.errors import (
    BackOfficeAuthError,
    BackOfficeRejected,
    BackOfficeTimeout,
    BackOfficeUnavailable,
)
from bot.backoffice.models import CouncilTaxRequest
from bot.db import session_scope
from tests.conftest import AUTH

NOW = "2026-12-01T17:00:00"


def pin(served_backoffice, now: str) -> None:
    requests.put(f"{served_backoffice.url}/_admin/clock", json={"now": now}, headers=AUTH,
                 timeout=5).raise_for_status()


@pytest.fixture
def client(served_backoffice) -> CouncilTaxClient:
    pin(served_backoffice, NOW)
    return CouncilTaxClient(served_backoffice.config())


def stored_requests(served_backoffice) -> int:
    with session_scope(served_backoffice.app.state.session_factory) as session:
        return session.scalar(select(func.count()).select_from(CouncilTaxRequest))


def test_verify_then_read_the_account_summary_as_plain_data(client):
    verification = client.verify("5000 0000 2", "sample", "an2 3cc")
    summary = client.get_account(verification.account_number, verification.token)
    assert isinstance(summary, AccountSummary)
    assert summary.liable_person == "Sam Sample"
    assert summary.band == "E" and summary.recovery_stage == "second_reminder"
    assert [i.status for i in summary.instalments].count("missed") == 2
    assert summary.arrears == sum(i.amount for i in summary.instalments if i.status == "missed")
    assert summary.next_instalment is not None
    assert summary.next_instalment.due_date == date(2027, 1, 1)
    assert isinstance(summary.balance, Decimal)
    assert summary.payment_reference == "500000002"


def test_alex_sees_the_masked_direct_debit(client):
    verification = client.verify("500000001", "Example", "AN1 1AA")
    summary = client.get_account("500000001", verification.token)
    assert summary.payment_method == "Direct Debit from account ending 1234"
    assert summary.payments and summary.payments[0].method == "Direct Debit"


def test_failed_verification_is_a_rejection_not_an_auth_fault(client):
    with pytest.raises(BackOfficeRejected) as caught:
        client.verify("500000001", "Sample", "AN1 1AA")
    assert caught.value.code == VERIFICATION_FAILED
    assert "Sample" not in str(caught.value) and "surname" not in caught.value.message


def test_too_many_failures_for_an_account_is_a_rejection_with_when_to_retry(client):
    for _ in range(5):
        with pytest.raises(BackOfficeRejected):
            client.verify("500000001", "Sample", "AN1 1AA")
    with pytest.raises(BackOfficeRejected) as caught:
        client.verify("500000001", "Example", "AN1 1AA")
    assert (caught.value.code, caught.value.status_code) == (TOO_MANY_ATTEMPTS, 429)
    assert caught.value.details == {"retry_after": 1800}


def test_an_expired_token_is_reported_as_lapsed(client, served_backoffice):
    verification = client.verify("500000001", "Example", "AN1 1AA")
    pin(served_backoffice, "2026-12-01T17:15:01")
    with pytest.raises(BackOfficeRejected) as caught:
        client.get_account("500000001", verification.token)
    assert caught.value.code in VERIFICATION_LAPSED


def test_the_token_header_is_not_left_on_the_session(client):
    verification = client.verify("500000001", "Example", "AN1 1AA")
    client.get_account("500000001", verification.token)
    assert "X-Verification-Token" not in client.session.headers


def test_find_bands_is_public_and_gives_charges(client):
    bands = client.find_bands("an1 2bb")
    assert bands.postcode == "AN1 2BB" and len(bands.properties) == 6
    assert bands.charges["D"] > bands.charges["C"] > bands.charges["A"]
    assert bands.financial_year == "2026/27"


def test_switch_to_twelve_instalments_returns_the_new_schedule(client):
    token = client.verify("500000001", "Example", "AN1 1AA").token
    plan = client.change_instalments("500000001", token, 12)
    assert plan.instalments == 12
    assert plan.schedule[-1].due_date == date(2027, 3, 1)


def test_direct_debit_set_up_and_payment_day_change(client):
    token = client.verify("500000002", "Sample", "AN2 3CC").token
    dd = client.set_up_direct_debit("500000002", token, account_holder="Sam Sample",
                                    sort_code="12-34-56", bank_account_number="87654321",
                                    payment_day=8)
    assert dd.payment_method == "Direct Debit from account ending 4321"
    assert dd.first_collection is not None and dd.first_collection.due_date.day == 8
    changed = client.change_payment_day("500000002", token, 23)
    assert changed.payment_day == 23
    with pytest.raises(BackOfficeRejected) as caught:
        client.change_payment_day("500000002", token, 30)
    assert caught.value.code == "invalid_payment_day"


def test_applications_and_moves_return_references(client):
    token = client.verify("500000001", "Example", "AN1 1AA").token
    spd = client.apply_single_person_discount("500000001", token,
                                              applies_from=date(2026, 11, 20),
                                              adults_in_property=1)
    student = client.apply_student_exemption(
        "500000001", token, applies_from=date(2026, 9, 20), course_end=date(2029, 6, 30),
        institution="Anytown University", all_residents_students=True)
    move = client.notify_move("500000001", token, kind="out", move_date=date(2026, 12, 20),
                              forwarding_address="5 Sea View, Bournemouth")
    move_in = client.notify_move_in(uprn="100000000102", full_name="Pat Newcomer",
                                    move_date=date(2026, 12, 5))
    assert spd.reference.startswith("CTD-") and spd.evidence_required
    assert student.reference.startswith("CTE-")
    assert move.reference.startswith("CTM-") and move_in.kind == "move_in"


def test_a_write_repeated_with_its_idempotency_key_is_recorded_once(client, served_backoffice):
    token = client.verify("500000001", "Example", "AN1 1AA").token
    first = client.notify_move("500000001", token, kind="out", move_date=date(2026, 12, 20),
                               forwarding_address="5 Sea View", idempotency_key="move-key-1")
    again = client.notify_move("500000001", token, kind="out", move_date=date(2026, 12, 20),
                               forwarding_address="5 Sea View", idempotency_key="move-key-1")
    assert again.reference == first.reference
    assert stored_requests(served_backoffice) == 1


def test_a_bad_date_is_rejected_with_its_code(client):
    token = client.verify("500000001", "Example", "AN1 1AA").token
    with pytest.raises(BackOfficeRejected) as caught:
        client.apply_single_person_discount("500000001", token, applies_from=date(2020, 1, 1),
                                            adults_in_property=1)
    assert caught.value.code == "date_too_far_past" and caught.value.status_code == 422


def test_outage_is_unavailable_and_records_nothing(client, served_backoffice):
    token = client.verify("500000001", "Example", "AN1 1AA").token
    served_backoffice.set_faults(outage=True)
    with pytest.raises(BackOfficeUnavailable):
        client.get_account("500000001", token)
    with pytest.raises(BackOfficeUnavailable):
        client.apply_single_person_discount("500000001", token, applies_from=date(2026, 11, 1),
                                            adults_in_property=1)
    served_backoffice.set_faults(outage=False)
    assert stored_requests(served_backoffice) == 0


def test_a_slow_system_times_out(served_backoffice):
    pin(served_backoffice, NOW)
    served_backoffice.set_faults(latency_ms=1500)
    client = CouncilTaxClient(served_backoffice.config(read_timeout=0.3, retries=0))
    started = time.monotonic()
    with pytest.raises(BackOfficeTimeout):
        client.find_bands("AN1 1AA")
    assert time.monotonic() - started < 1.4


def test_a_wrong_service_token_is_an_auth_fault(served_backoffice):
    client = CouncilTaxClient(served_backoffice.config(token="wrong"))
    with pytest.raises(BackOfficeAuthError):
        client.verify("500000001", "Example", "AN1 1AA")
