"""The gazetteer's queries: properties at a postcode, by UPRN, and a postcode's ward."""

from __future__ import annotations

import pytest

from bot.backoffice.services import address as service
from bot.db import session_scope
from bot.http.problems import Problem


@pytest.fixture
def session(backoffice_app):
    with session_scope(backoffice_app.state.session_factory) as session:
        yield session


def test_addresses_at_a_postcode_come_normalised_and_in_uprn_order(session):
    postcode, rows = service.addresses_at(session, "an1 2bb")
    assert postcode == "AN1 2BB"
    assert rows and [r.uprn for r in rows] == sorted(r.uprn for r in rows)
    assert {r.postcode for r in rows} == {"AN1 2BB"}


def test_an_invalid_postcode_is_refused(session):
    with pytest.raises(Problem) as refused:
        service.addresses_at(session, "12345")
    assert (refused.value.status_code, refused.value.code) == (422, "invalid_postcode")


def test_an_unknown_uprn_is_a_404_carrying_the_details_asked_for(session):
    with pytest.raises(Problem) as refused:
        service.get_address(session, "999999999999", uprn="999999999999")
    assert (refused.value.status_code, refused.value.code) == (404, "unknown_uprn")
    assert refused.value.details == {"uprn": "999999999999"}


def test_the_ward_of_a_postcode_and_of_none(session):
    assert service.ward_of_postcode(session, "AN2 3CC") == "Northfield"
    assert service.ward_of_postcode(session, None) is None
    assert service.ward_of_postcode(session, "ZZ9 9ZZ") is None
