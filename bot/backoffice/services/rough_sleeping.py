"""Rules of the rough sleeping system: checking a report, routing it, promising updates, SWEP."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.backoffice.models.rough_sleeping import (
    OutreachTeam,
    RoughSleepingReport,
    SevereWeatherProtocol,
)
from bot.backoffice.services.address import ward_of_postcode
from bot.backoffice.services.working_days import add_working_days
from bot.http.problems import Problem

# Never log descriptions or contact details: only references and routing.
logger = logging.getLogger(__name__)

UPDATE_WORKING_DAYS = 10
# A sighting older than this is no use to a team that goes out tonight.
MAX_SEEN_AGE = timedelta(days=31)
# Clocks on phones and servers drift; a few minutes ahead is not "the future".
FUTURE_TOLERANCE = timedelta(minutes=10)
REFERENCE_BASE = 100000

STATUS_WITH_OUTREACH = "passed_to_outreach"
STATUS_CHILDRENS_SERVICES = "referred_to_childrens_services"
ROUTED_OUTREACH = "outreach_team"
ROUTED_CHILDREN = "childrens_services"
CHILDRENS_SERVICES_NAME = "Anytown Children's Services and the police"


@dataclass(frozen=True)
class ReportInput:
    """A checked report as the route parsed it (postcode normalised, contact tidied)."""

    location_text: str
    postcode: str | None
    latitude: float | None
    longitude: float | None
    what3words: str | None
    seen_at: datetime
    person_description: str
    site_description: str | None
    people_count: int
    under_18: bool
    immediate_danger: bool
    reporter_name: str | None
    reporter_phone: str | None
    reporter_email: str | None
    consent_to_contact: bool
    consent_to_updates: bool


@dataclass(frozen=True)
class Routing:
    """Who a report went to: the outreach team of a ward, or children's services."""

    kind: str
    name: str
    team_code: str | None
    ward: str | None


@dataclass(frozen=True)
class ReportStatus:
    """What the public may know about a report: never descriptions or contact details."""

    reference: str
    status: str
    routed_to: Routing
    created_at: datetime
    update_due: date | None


@dataclass(frozen=True)
class CreatedReport(ReportStatus):
    call_999: bool
    swep_active: bool
    next_steps: list[str]


def check_seen_at(seen_at: datetime, now: datetime) -> None:
    if seen_at > now + FUTURE_TOLERANCE:
        raise Problem(422, "seen_in_future", "The time seen cannot be in the future.",
                      field="seen_at")
    if seen_at < now - MAX_SEEN_AGE:
        raise Problem(422, "seen_too_long_ago",
                      f"Reports must be about someone seen in the last {MAX_SEEN_AGE.days} days.",
                      field="seen_at")


def check_contact_rules(data: ReportInput) -> None:
    """Contact details only with consent to contact; updates need consent and a way to reach."""
    has_details = any((data.reporter_name, data.reporter_phone, data.reporter_email))
    reachable = bool(data.reporter_phone or data.reporter_email)
    if has_details and not data.consent_to_contact:
        raise Problem(422, "consent_required",
                      "Contact details can only be kept when the reporter consents to contact.",
                      field="consent_to_contact")
    if data.consent_to_contact and not reachable:
        raise Problem(422, "contact_details_required",
                      "Consent to contact needs a phone number or an email address.",
                      field="reporter")
    if data.consent_to_updates and not data.consent_to_contact:
        raise Problem(422, "consent_required",
                      "Updates can only be sent when the reporter also consents to contact.",
                      field="consent_to_updates")


def team_for_ward(session: Session, ward: str | None) -> OutreachTeam:
    team = None
    if ward:
        team = session.scalar(select(OutreachTeam).where(OutreachTeam.ward == ward))
    if team is None:
        team = session.scalar(select(OutreachTeam).where(OutreachTeam.is_default.is_(True)))
    if team is None:
        raise Problem(503, "no_outreach_team", "No outreach team is set up to take reports.")
    return team


def swep(session: Session) -> SevereWeatherProtocol:
    """The SWEP switch; a database without one is treated as 'not in force'."""
    current = session.get(SevereWeatherProtocol, 1)
    return current or SevereWeatherProtocol(id=1, active=False, reason=None,
                                            updated_at=datetime.min)


def set_swep(
    session: Session, now: datetime, active: bool, reason: str | None
) -> SevereWeatherProtocol:
    current = session.get(SevereWeatherProtocol, 1)
    if current is None:
        current = SevereWeatherProtocol(id=1)
        session.add(current)
    current.active = active
    current.reason = reason if active else None
    current.updated_at = now
    session.flush()
    logger.info("SWEP switched %s", "on" if active else "off")
    return current


def create_report(session: Session, now: datetime, data: ReportInput) -> CreatedReport:
    """Check, route and store a report; raises Problem before writing anything."""
    check_seen_at(data.seen_at, now)
    check_contact_rules(data)
    ward = ward_of_postcode(session, data.postcode)
    team = None if data.under_18 else team_for_ward(session, ward)
    promised_update = data.consent_to_updates
    report = RoughSleepingReport(
        status=STATUS_CHILDRENS_SERVICES if data.under_18 else STATUS_WITH_OUTREACH,
        created_at=now,
        location_text=data.location_text, postcode=data.postcode, latitude=data.latitude,
        longitude=data.longitude, what3words=data.what3words, seen_at=data.seen_at,
        person_description=data.person_description, site_description=data.site_description,
        people_count=data.people_count, under_18=data.under_18,
        immediate_danger=data.immediate_danger,
        reporter_name=data.reporter_name, reporter_phone=data.reporter_phone,
        reporter_email=data.reporter_email, consent_to_contact=data.consent_to_contact,
        consent_to_updates=data.consent_to_updates,
        ward=ward or (team.ward if team else None),
        routed_to_kind=ROUTED_CHILDREN if data.under_18 else ROUTED_OUTREACH,
        outreach_team_code=team.code if team else None,
        update_due=add_working_days(now.date(), UPDATE_WORKING_DAYS) if promised_update else None,
    )
    session.add(report)
    session.flush()
    report.reference = f"RS-{REFERENCE_BASE + report.id:06d}"
    session.flush()
    swep_active = bool(swep(session).active)
    logger.info("rough sleeping report %s routed to %s", report.reference,
                team.code if team else ROUTED_CHILDREN)
    return CreatedReport(**_status_fields(report, team), call_999=call_999(report),
                         swep_active=swep_active,
                         next_steps=next_steps(report, team, swep_active))


def call_999(report: RoughSleepingReport) -> bool:
    """Safeguarding: anyone in immediate danger or who may be under 18 needs 999 now."""
    return bool(report.immediate_danger or report.under_18)


def routing(report: RoughSleepingReport, team: OutreachTeam | None) -> Routing:
    """The outreach team a report went to; no team means children's services and the police."""
    if team is None:
        return Routing(kind=report.routed_to_kind, name=CHILDRENS_SERVICES_NAME,
                       team_code=None, ward=report.ward)
    return Routing(kind=report.routed_to_kind, name=team.name, team_code=team.code,
                   ward=team.ward)


def _status_fields(report: RoughSleepingReport, team: OutreachTeam | None) -> dict:
    return {"reference": report.reference, "status": report.status,
            "routed_to": routing(report, team), "created_at": report.created_at,
            "update_due": report.update_due}


def report_status(session: Session, reference: str) -> ReportStatus:
    report = find_report(session, reference)
    return ReportStatus(**_status_fields(report, team_by_code(session, report.outreach_team_code)))


def next_steps(report: RoughSleepingReport, team: OutreachTeam | None,
               swep_active: bool) -> list[str]:
    steps: list[str] = []
    if call_999(report):
        steps.append("If anyone is in immediate danger or under 18, call 999 now.")
    if team is None:
        steps.append(
            f"Because the person may be under 18, the report goes to {CHILDRENS_SERVICES_NAME}, "
            "not to street outreach."
        )
    else:
        steps.append(
            f"The {team.name} will try to find the person and offer support. "
            f"They go out {team.hours}, so it may take a night or two."
        )
    if swep_active:
        steps.append("The severe weather emergency protocol (SWEP) is in force: extra emergency "
                     "beds are open tonight for anyone sleeping rough.")
    if report.update_due:
        steps.append(f"We will update you by {report.update_due:%A %-d %B %Y}.")
    return steps


def find_report(session: Session, reference: str) -> RoughSleepingReport:
    report = session.scalar(
        select(RoughSleepingReport).where(RoughSleepingReport.reference == reference)
    )
    if report is None:
        raise Problem(404, "unknown_reference",
                      f"No rough sleeping report has reference {reference}.")
    return report


def team_by_code(session: Session, code: str | None) -> OutreachTeam | None:
    return session.get(OutreachTeam, code) if code else None


def list_teams(session: Session) -> list[OutreachTeam]:
    return list(session.scalars(select(OutreachTeam).order_by(OutreachTeam.ward)).all())
