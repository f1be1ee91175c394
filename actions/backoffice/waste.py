"""Client for the council's waste system: collections, missed bins, bulky waste, bins, the A-Z."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from actions.backoffice._client import BackOfficeClient, new_idempotency_key


@dataclass(frozen=True)
class Collection:
    date: date
    original_date: date | None = None  # set when a bank holiday moved the round
    reason: str | None = None


@dataclass(frozen=True)
class LastCollection(Collection):
    outcome: str = "collected"
    note: str | None = None


@dataclass(frozen=True)
class ServiceCollections:
    service: str  # e.g. "general", "communal_recycling"
    bin_type: str  # general / recycling / food / garden
    name: str
    container: str
    frequency: str
    next: Collection
    last: LastCollection


@dataclass(frozen=True)
class PropertyCollections:
    uprn: str
    address: str
    collection_type: str
    collection_day: str
    today: date  # the council's today, which the dates are relative to
    services: list[ServiceCollections]

    def for_bin_type(self, bin_type: str) -> ServiceCollections | None:
        return next((s for s in self.services if bin_type in (s.bin_type, s.service)), None)


@dataclass(frozen=True)
class MissedBinEligibility:
    eligible: bool
    code: str  # eligible / too_early / too_late / crew_reported / already_reported
    message: str
    collection_date: date
    window_opens: datetime
    window_closes: datetime
    reason: str | None = None
    existing_reference: str | None = None


@dataclass(frozen=True)
class MissedBinReport:
    reference: str
    service: str
    collection_date: date
    collect_by: date
    created: bool  # False: the collection was already reported and this is that report


@dataclass(frozen=True)
class BulkyItem:
    name: str
    aliases: list[str]
    surcharge_pence: int


@dataclass(frozen=True)
class BulkyCatalogue:
    items: list[BulkyItem]
    not_accepted: dict[str, str]  # item -> where it can go instead
    base_charge_pence: int
    base_items: int
    extra_item_pence: int
    max_items: int


@dataclass(frozen=True)
class BulkyQuote:
    items: dict[str, int]
    item_count: int
    price_pence: int

    @property
    def price(self) -> Decimal:
        return Decimal(self.price_pence) / 100


@dataclass(frozen=True)
class BulkySlot:
    date: date
    remaining: int
    available: bool


@dataclass(frozen=True)
class BulkyBooking:
    reference: str
    collection_date: date
    items: dict[str, int]
    price_pence: int

    @property
    def price(self) -> Decimal:
        return Decimal(self.price_pence) / 100


@dataclass(frozen=True)
class ContainerOption:
    container: str
    label: str
    reason: str
    charge_pence: int
    available: bool
    note: str | None


@dataclass(frozen=True)
class ContainerRequest:
    reference: str
    container: str
    reason: str
    charge_pence: int
    deliver_by: date


@dataclass(frozen=True)
class WasteItem:
    name: str
    bin: str
    bin_label: str
    advice: str
    score: float | None = None  # only for suggestions


@dataclass(frozen=True)
class ItemSearch:
    query: str
    match: WasteItem | None
    suggestions: list[WasteItem]


class WasteClient(BackOfficeClient):
    """Operations of the waste system. Writes carry an idempotency key; pass the same key
    when an action is retried so the council's system does not act twice."""

    def get_collections(self, uprn: str) -> PropertyCollections:
        body = self._request("GET", f"/waste/collections/{uprn}")
        return PropertyCollections(
            uprn=body["uprn"], address=body["address"], collection_type=body["collection_type"],
            collection_day=body["collection_day"], today=date.fromisoformat(body["today"]),
            services=[_service(row) for row in body["services"]],
        )

    def check_missed_bin(self, uprn: str, service: str) -> MissedBinEligibility:
        body = self._request("GET", "/waste/missed-bins/eligibility",
                             params={"uprn": uprn, "service": service})
        return MissedBinEligibility(
            eligible=body["eligible"], code=body["code"], message=body["message"],
            collection_date=date.fromisoformat(body["collection_date"]),
            window_opens=datetime.fromisoformat(body["window_opens"]),
            window_closes=datetime.fromisoformat(body["window_closes"]),
            reason=body.get("reason"), existing_reference=body.get("existing_reference"),
        )

    def report_missed_bin(self, uprn: str, service: str,
                          idempotency_key: str | None = None) -> MissedBinReport:
        """BackOfficeRejected with code too_early / too_late / crew_reported when refused."""
        body = self._request("POST", "/waste/missed-bins",
                             json={"uprn": uprn, "service": service},
                             idempotency_key=idempotency_key or new_idempotency_key())
        return MissedBinReport(
            reference=body["reference"], service=body["service"],
            collection_date=date.fromisoformat(body["collection_date"]),
            collect_by=date.fromisoformat(body["collect_by"]), created=body["created"],
        )

    def get_bulky_catalogue(self) -> BulkyCatalogue:
        body = self._request("GET", "/waste/bulky/items")
        pricing = body["pricing"]
        return BulkyCatalogue(
            items=[BulkyItem(i["name"], list(i["aliases"]), i["surcharge_pence"])
                   for i in body["items"]],
            not_accepted={i["name"]: i["advice"] for i in body["not_accepted"]},
            base_charge_pence=pricing["base_charge_pence"], base_items=pricing["base_items"],
            extra_item_pence=pricing["extra_item_pence"], max_items=pricing["max_items"],
        )

    def quote_bulky(self, items: dict[str, int]) -> BulkyQuote:
        """Price items (name -> quantity). BackOfficeRejected item_not_accepted (with advice)
        or unknown_item (with suggestions) when an item cannot be collected."""
        body = self._request("POST", "/waste/bulky/quote", json={"items": _lines(items)})
        return BulkyQuote(items=_counts(body["items"]), item_count=body["item_count"],
                          price_pence=body["price_pence"])

    def get_bulky_slots(self, uprn: str) -> list[BulkySlot]:
        body = self._request("GET", "/waste/bulky/slots", params={"uprn": uprn})
        return [BulkySlot(date.fromisoformat(s["date"]), s["remaining"], s["available"])
                for s in body["slots"]]

    def book_bulky(self, uprn: str, slot_date: date, items: dict[str, int],
                   idempotency_key: str | None = None) -> BulkyBooking:
        """BackOfficeRejected slot_full (409) when the date filled up meanwhile."""
        body = self._request(
            "POST", "/waste/bulky/bookings",
            json={"uprn": uprn, "slot_date": slot_date.isoformat(), "items": _lines(items)},
            idempotency_key=idempotency_key or new_idempotency_key(),
        )
        return BulkyBooking(reference=body["reference"],
                            collection_date=date.fromisoformat(body["collection_date"]),
                            items=_counts(body["items"]), price_pence=body["price_pence"])

    def get_container_options(self, uprn: str) -> list[ContainerOption]:
        body = self._request("GET", "/waste/containers/options", params={"uprn": uprn})
        return [ContainerOption(c["container"], c["label"], r["reason"], r["charge_pence"],
                                r["available"], r.get("note"))
                for c in body["containers"] for r in c["reasons"]]

    def request_container(self, uprn: str, container: str, reason: str, *,
                          damaged_by_crew: bool = False, household_size: int | None = None,
                          idempotency_key: str | None = None) -> ContainerRequest:
        payload: dict = {"uprn": uprn, "container": container, "reason": reason,
                         "damaged_by_crew": damaged_by_crew}
        if household_size is not None:
            payload["household_size"] = household_size
        body = self._request("POST", "/waste/container-requests", json=payload,
                             idempotency_key=idempotency_key or new_idempotency_key())
        return ContainerRequest(reference=body["reference"], container=body["container"],
                                reason=body["reason"], charge_pence=body["charge_pence"],
                                deliver_by=date.fromisoformat(body["deliver_by"]))

    def search_items(self, query: str) -> ItemSearch:
        """An exact `match`, or none and the nearest `suggestions`: never a guess."""
        body = self._request("GET", "/waste/items/search", params={"q": query})
        return ItemSearch(
            query=body["query"],
            match=_item(body["match"]) if body["match"] else None,
            suggestions=[_item(s) for s in body["suggestions"]],
        )


def _collection(row: dict) -> Collection:
    return Collection(
        date=date.fromisoformat(row["date"]),
        original_date=date.fromisoformat(row["original_date"]) if row["original_date"] else None,
        reason=row["reason"],
    )


def _service(row: dict) -> ServiceCollections:
    last = row["last"]
    return ServiceCollections(
        service=row["service"], bin_type=row["bin_type"], name=row["name"],
        container=row["container"], frequency=row["frequency"], next=_collection(row["next"]),
        last=LastCollection(**vars(_collection(last)), outcome=last["outcome"],
                            note=last["note"]),
    )


def _item(row: dict) -> WasteItem:
    return WasteItem(name=row["name"], bin=row["bin"], bin_label=row["bin_label"],
                     advice=row["advice"], score=row.get("score"))


def _lines(items: dict[str, int]) -> list[dict]:
    return [{"item": name, "quantity": quantity} for name, quantity in items.items()]


def _counts(lines: list[dict]) -> dict[str, int]:
    return {line["item"]: line["quantity"] for line in lines}
