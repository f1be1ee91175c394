"""The stub council tax system's limit on failed verifications per account number."""

from __future__ import annotations

from tests.bot.backoffice.test_council_tax import ALEX, SAM, pin

WRONG_SURNAME = "Nobody"


def attempt(client, account=ALEX, surname: str | None = None):
    number, right_surname, postcode = account
    return client.post("/council-tax/verifications", json={
        "account_number": number, "surname": surname or right_surname, "postcode": postcode})


def fail(client, times: int, account=ALEX) -> None:
    for _ in range(times):
        assert attempt(client, account, WRONG_SURNAME).status_code == 422


def test_fifth_failure_refuses_even_the_right_details_for_half_an_hour(backoffice):
    pin(backoffice, "2026-12-01T10:00:00")
    fail(backoffice, 5)
    refused = attempt(backoffice)
    assert refused.status_code == 429
    assert refused.json() == {"error": {
        "code": "too_many_attempts",
        "message": "Too many failed attempts to verify this account. Try again later.",
        "retry_after": 1800}}
    assert refused.headers["Retry-After"] == "1800"
    pin(backoffice, "2026-12-01T10:29:59")
    assert attempt(backoffice).status_code == 429
    pin(backoffice, "2026-12-01T10:30:00")
    assert attempt(backoffice).status_code == 201


def test_refusal_is_the_same_whether_the_details_are_right_or_wrong(backoffice):
    pin(backoffice, "2026-12-01T10:00:00")
    fail(backoffice, 5)
    right, wrong = attempt(backoffice), attempt(backoffice, surname=WRONG_SURNAME)
    assert (right.status_code, right.json()) == (wrong.status_code, wrong.json())


def test_cooling_off_runs_from_the_last_failure(backoffice):
    pin(backoffice, "2026-12-01T10:00:00")
    fail(backoffice, 4)
    pin(backoffice, "2026-12-01T10:20:00")
    fail(backoffice, 1)
    pin(backoffice, "2026-12-01T10:45:00")
    assert attempt(backoffice).status_code == 429
    assert attempt(backoffice).json()["error"]["retry_after"] == 5 * 60


def test_failures_outside_the_hour_do_not_count(backoffice):
    pin(backoffice, "2026-12-01T10:00:00")
    fail(backoffice, 4)
    pin(backoffice, "2026-12-01T11:00:00")
    fail(backoffice, 1)
    assert attempt(backoffice).status_code == 201


def test_a_failure_after_the_cooling_off_locks_again_while_the_hour_lasts(backoffice):
    pin(backoffice, "2026-12-01T10:00:00")
    fail(backoffice, 5)
    pin(backoffice, "2026-12-01T10:31:00")
    fail(backoffice, 1)
    assert attempt(backoffice).status_code == 429


def test_success_clears_the_count(backoffice):
    pin(backoffice, "2026-12-01T10:00:00")
    fail(backoffice, 4)
    assert attempt(backoffice).status_code == 201
    fail(backoffice, 4)
    assert attempt(backoffice).status_code == 201


def test_limit_is_per_account_number(backoffice):
    pin(backoffice, "2026-12-01T10:00:00")
    fail(backoffice, 5, ALEX)
    assert attempt(backoffice, SAM).status_code == 201
    # The same number typed with spaces is the same account number.
    spaced = ("5000 0000 1", "Example", "AN1 1AA")
    assert attempt(backoffice, spaced).status_code == 429


def test_unknown_account_numbers_are_limited_alike_so_refusals_say_nothing(backoffice):
    pin(backoffice, "2026-12-01T10:00:00")
    unknown = ("599999999", "Example", "AN1 1AA")
    fail(backoffice, 5, unknown)
    assert attempt(backoffice, unknown).status_code == 429
