"""The shared client choke point against the real stub: timeouts, retries, typed errors."""

from __future__ import annotations

import hashlib

import pytest

from actions.backoffice._client import BackOfficeClient
from actions.backoffice.address import AddressClient
from actions.backoffice.errors import (
    BackOfficeAuthError,
    BackOfficeNotFound,
    BackOfficeRejected,
    BackOfficeTimeout,
    BackOfficeUnavailable,
)
from bot.backoffice.idempotency import IN_PROGRESS
from bot.backoffice.models import IdempotencyRecord
from bot.db import session_scope
from bot.ops.stack import free_port


def test_addresses_come_back_as_plain_data(served_backoffice):
    client = AddressClient(served_backoffice.config())
    addresses = client.find_addresses("an1 1aa")
    assert [a.line1 for a in addresses] == [f"{n} Acacia Avenue" for n in (1, 2, 3, 4)]
    assert addresses[0].uprn == "100000000101" and addresses[0].ward == "Central"


def test_unknown_postcode_gives_no_addresses(served_backoffice):
    assert AddressClient(served_backoffice.config()).find_addresses("ZZ9 9ZZ") == []


def test_malformed_postcode_is_rejected_with_the_systems_code(served_backoffice):
    with pytest.raises(BackOfficeRejected) as raised:
        AddressClient(served_backoffice.config()).find_addresses("not a postcode")
    assert raised.value.code == "invalid_postcode"
    assert raised.value.status_code == 422


def test_unknown_uprn_is_not_found(served_backoffice):
    with pytest.raises(BackOfficeNotFound):
        AddressClient(served_backoffice.config()).get_address("999999999999")


def test_read_is_retried_until_the_system_recovers(served_backoffice):
    served_backoffice.set_faults(fail_next=2)
    addresses = AddressClient(served_backoffice.config(retries=2)).find_addresses("AN2 3CC")
    assert len(addresses) == 2


def test_read_gives_up_after_its_retries(served_backoffice):
    served_backoffice.set_faults(fail_next=3)
    with pytest.raises(BackOfficeUnavailable):
        AddressClient(served_backoffice.config(retries=2)).find_addresses("AN2 3CC")


def test_write_without_idempotency_key_is_never_retried(served_backoffice):
    served_backoffice.set_faults(fail_next=1)
    client = AddressClient(served_backoffice.config(retries=2))
    with pytest.raises(BackOfficeUnavailable):
        client._request("POST", "/addresses/lookups", json={})
    # The one failure was used up by the single attempt; a retry would have reached the route.
    assert client.find_addresses("AN2 3CC")


def test_slow_system_raises_timeout(served_backoffice):
    served_backoffice.set_faults(latency_ms=1500)
    client = AddressClient(served_backoffice.config(read_timeout=0.3, retries=0))
    with pytest.raises(BackOfficeTimeout):
        client.find_addresses("AN1 1AA")


def test_outage_raises_unavailable(served_backoffice):
    served_backoffice.set_faults(outage=True)
    with pytest.raises(BackOfficeUnavailable) as raised:
        AddressClient(served_backoffice.config(retries=1)).find_addresses("AN1 1AA")
    assert not isinstance(raised.value, BackOfficeTimeout)


def test_nothing_listening_raises_unavailable(served_backoffice):
    config = served_backoffice.config(base_url=f"http://127.0.0.1:{free_port()}", retries=0)
    with pytest.raises(BackOfficeUnavailable):
        AddressClient(config).find_addresses("AN1 1AA")


def test_wrong_service_token_is_a_configuration_error(served_backoffice):
    with pytest.raises(BackOfficeAuthError):
        AddressClient(served_backoffice.config(token="wrong")).find_addresses("AN1 1AA")


def test_a_keyed_write_whose_first_try_is_still_in_progress_is_a_timeout(served_backoffice):
    fingerprint = hashlib.sha256(b"POST/rough-sleeping/reports\n{}").hexdigest()
    with session_scope(served_backoffice.app.state.session_factory) as session:
        session.add(IdempotencyRecord(key="busy", request_fingerprint=fingerprint,
                                      status_code=IN_PROGRESS, response_body=""))
    client = BackOfficeClient(served_backoffice.config(retries=1))
    with pytest.raises(BackOfficeTimeout, match="still in progress"):
        client._request("POST", "/rough-sleeping/reports", json={}, idempotency_key="busy")
