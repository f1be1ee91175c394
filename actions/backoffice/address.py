"""Client for the council's address gazetteer."""

from __future__ import annotations

from dataclasses import dataclass

from actions.backoffice._client import BackOfficeClient


@dataclass(frozen=True)
class Address:
    uprn: str
    label: str
    line1: str
    postcode: str
    ward: str
    collection_type: str


class AddressClient(BackOfficeClient):
    def find_addresses(self, postcode: str) -> list[Address]:
        """Properties at a postcode; [] for an unknown one. BackOfficeRejected if malformed."""
        body = self._request("GET", "/addresses", params={"postcode": postcode})
        return [_address(row) for row in body["addresses"]]

    def get_address(self, uprn: str) -> Address:
        return _address(self._request("GET", f"/addresses/{uprn}"))


def _address(row: dict) -> Address:
    return Address(
        uprn=row["uprn"], label=row["label"], line1=row["line1"], postcode=row["postcode"],
        ward=row["ward"], collection_type=row["collection_type"],
    )
