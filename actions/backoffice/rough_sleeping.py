"""Client for the council's rough sleeping system: reports, their status and the SWEP flag."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from actions.backoffice._client import BackOfficeClient, new_idempotency_key


@dataclass(frozen=True)
class Reporter:
    name: str | None = None
    phone: str | None = None
    email: str | None = None


@dataclass(frozen=True)
class NewReport:
    """A report as the resident gave it. Descriptions and reporter are personal data."""

    location_text: str
    seen_at: datetime
    person_description: str
    postcode: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    what3words: str | None = None
    site_description: str | None = None
    people_count: int = 1
    under_18: bool = False
    immediate_danger: bool = False
    reporter: Reporter | None = None
    consent_to_contact: bool = False
    consent_to_updates: bool = False

    def to_json(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "location_text": self.location_text,
            "seen_at": self.seen_at.isoformat(timespec="minutes"),
            "person_description": self.person_description,
            "people_count": self.people_count,
            "under_18": self.under_18,
            "immediate_danger": self.immediate_danger,
            "consent_to_contact": self.consent_to_contact,
            "consent_to_updates": self.consent_to_updates,
        }
        optional = {
            "postcode": self.postcode, "latitude": self.latitude, "longitude": self.longitude,
            "what3words": self.what3words, "site_description": self.site_description,
        }
        body.update({k: v for k, v in optional.items() if v is not None})
        if self.reporter is not None:
            body["reporter"] = {k: v for k, v in vars(self.reporter).items() if v is not None}
        return body


@dataclass(frozen=True)
class RoutedTo:
    kind: str  # "outreach_team" or "childrens_services"
    name: str
    team_code: str | None
    ward: str | None


@dataclass(frozen=True)
class ReportStatus:
    reference: str
    status: str
    routed_to: RoutedTo
    created_at: datetime
    update_due: date | None


@dataclass(frozen=True)
class CreatedReport(ReportStatus):
    call_999: bool = False
    swep_active: bool = False
    next_steps: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Swep:
    active: bool
    reason: str | None
    updated_at: datetime


@dataclass(frozen=True)
class OutreachTeam:
    code: str
    name: str
    ward: str
    is_default: bool
    hours: str


class RoughSleepingClient(BackOfficeClient):
    def create_report(
        self, report: NewReport, idempotency_key: str | None = None
    ) -> CreatedReport:
        """Create a report. Pass the same key when retrying, so it is never made twice.

        BackOfficeRejected when the system refuses it (code says why, e.g. consent_required).
        """
        body = self._request("POST", "/rough-sleeping/reports", json=report.to_json(),
                             idempotency_key=idempotency_key or new_idempotency_key())
        return CreatedReport(
            **_status_fields(body),
            call_999=bool(body["call_999"]),
            swep_active=bool(body["swep_active"]),
            next_steps=list(body["next_steps"]),
        )

    def get_report(self, reference: str) -> ReportStatus:
        """BackOfficeNotFound for an unknown reference."""
        body = self._request("GET", f"/rough-sleeping/reports/{reference}")
        return ReportStatus(**_status_fields(body))

    def get_swep(self) -> Swep:
        return _swep(self._request("GET", "/rough-sleeping/swep"))

    def set_swep(self, active: bool, reason: str | None = None) -> Swep:
        # PUT is idempotent in itself; the key still guards a retried switch after a timeout.
        return _swep(self._request("PUT", "/rough-sleeping/swep",
                                   json={"active": active, "reason": reason},
                                   idempotency_key=new_idempotency_key()))

    def list_outreach_teams(self) -> list[OutreachTeam]:
        rows = self._request("GET", "/rough-sleeping/outreach-teams")
        return [OutreachTeam(**row) for row in rows]


def _status_fields(body: dict[str, Any]) -> dict[str, Any]:
    routed = body["routed_to"]
    return {
        "reference": body["reference"],
        "status": body["status"],
        "routed_to": RoutedTo(kind=routed["kind"], name=routed["name"],
                              team_code=routed.get("team_code"), ward=routed.get("ward")),
        "created_at": datetime.fromisoformat(body["created_at"]),
        "update_due": date.fromisoformat(body["update_due"]) if body.get("update_due") else None,
    }


def _swep(body: dict[str, Any]) -> Swep:
    return Swep(active=bool(body["active"]), reason=body.get("reason"),
                updated_at=datetime.fromisoformat(body["updated_at"]))
