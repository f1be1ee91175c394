"""Rules of the council tax system: account summaries, bands and the billing they show.

Verification is in `council_tax_verification`; residents' changes in `council_tax_changes`.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.backoffice.models import Address
from bot.backoffice.models.council_tax import (
    CouncilTaxAccount,
    PaymentArrangement,
    PropertyBand,
)
from bot.backoffice.postcodes import normalise_postcode
from bot.backoffice.services import council_tax_billing as billing
from bot.http.problems import Problem

PAYMENT_URL = "https://www.anytown.gov.uk/pay/council-tax"
# How far back and ahead residents may date a change themselves; outside that an officer
# has to look at it (backdating needs evidence, far-future dates are usually typos).
MAX_BACKDATE = timedelta(days=365)
MAX_AHEAD = timedelta(days=90)

RECOVERY_STAGES = {
    "none": "No recovery action: the account is up to date.",
    "reminder": "A reminder has been sent. Paying the missed instalment within 7 days keeps "
    "the right to pay by instalments.",
    "second_reminder": "A second reminder has been sent. Paying the missed instalments within "
    "7 days keeps the right to pay by instalments; another missed payment this year brings a "
    "final notice for the whole year's balance.",
    "final_notice": "A final notice has been sent: the right to pay by instalments is lost and "
    "the whole year's balance is due within 7 days.",
    "summons": "A summons to the magistrates' court has been issued and costs added. Paying "
    "the balance and costs before the hearing stops the council asking for a liability order.",
    "liability_order": "The magistrates' court has granted a liability order. The council can "
    "now take money from wages or benefits, or pass the debt to enforcement agents.",
}
EXEMPTION_CLASSES = {"N": "Class N exemption: every resident is a full-time student"}
EVIDENCE = {
    "single_person_discount": ["the date you started living alone",
                               "the forwarding address of anyone who moved out"],
    "student_exemption": [
        "a council tax student certificate from your university or college for every resident",
    ],
}


# --- reading ------------------------------------------------------------------------------

def arrangements_of(session: Session, account_number: str) -> list[billing.Arrangement]:
    rows = session.scalars(
        select(PaymentArrangement).where(PaymentArrangement.account_number == account_number)
        .order_by(PaymentArrangement.effective_from, PaymentArrangement.id)
    ).all()
    return [billing.Arrangement(r.effective_from, r.instalments, r.payment_day) for r in rows]


def _band(session: Session, uprn: str) -> str:
    row = session.get(PropertyBand, uprn)
    return row.band if row else "D"


def payable_pence(session: Session, account: CouncilTaxAccount, year: int) -> int:
    return billing.amount_payable_pence(
        _band(session, account.uprn), year, discount=account.discount,
        exemption_class=account.exemption_class,
    )


def statused_schedule(
    session: Session, account: CouncilTaxAccount, today: date
) -> tuple[list[tuple[billing.Instalment, str]], int]:
    """This year's instalments with paid/missed/upcoming, and arrears from last year."""
    year = billing.financial_year_of(today)
    arrangements = arrangements_of(session, account.account_number)
    last_year = billing.schedule(payable_pence(session, account, year - 1), arrangements, year - 1)
    this_year = billing.schedule(payable_pence(session, account, year), arrangements, year)
    fallen_due = [i for i in last_year + this_year if i.due_date <= today]
    missed = set(fallen_due[len(fallen_due) - account.missed_instalments:]) \
        if account.missed_instalments else set()
    statused = [
        (i, "upcoming" if i.due_date > today else "missed" if i in missed else "paid")
        for i in this_year
    ]
    arrears_last_year = sum(i.amount_pence for i in last_year if i in missed)
    return statused, arrears_last_year


def payment_method_text(account: CouncilTaxAccount) -> str:
    if account.payment_method == "direct_debit":
        return f"Direct Debit from account ending {account.bank_account_last4}"
    if account.payment_method == "online":
        return "Paid by the resident online, by phone or at a PayPoint"
    return "No payments needed"


def account_summary(session: Session, account: CouncilTaxAccount, today: date) -> dict[str, Any]:
    year = billing.financial_year_of(today)
    band = _band(session, account.uprn)
    address = session.get(Address, account.uprn)
    gross = billing.band_charge_pence(band, year)
    payable = payable_pence(session, account, year)
    statused, arrears_last_year = statused_schedule(session, account, today)
    paid = sum(i.amount_pence for i, s in statused if s == "paid")
    overdue = sum(i.amount_pence for i, s in statused if s == "missed") + arrears_last_year
    upcoming = [i for i, s in statused if s == "upcoming"]
    discounts = []
    if account.discount == "single_person":
        discounts.append({"kind": "single_person", "description": "Single person discount (25%)",
                          "amount": billing.money(gross - payable)})
    exemptions = []
    if account.exemption_class:
        exemptions.append({"exemption_class": account.exemption_class,
                           "description": EXEMPTION_CLASSES[account.exemption_class]})
    current = arrangements_of(session, account.account_number)[-1]
    return {
        "account_number": account.account_number,
        "liable_person": f"{account.first_name} {account.surname}",
        "property": {"uprn": account.uprn, "label": address.label if address else ""},
        "financial_year": billing.financial_year_label(year),
        "band": band,
        "annual_charge": billing.money(gross),
        "discounts": discounts,
        "exemptions": exemptions,
        "amount_payable": billing.money(payable),
        "paid_this_year": billing.money(paid),
        "balance": billing.money(payable - paid + arrears_last_year),
        "arrears": billing.money(overdue),
        "instalments": [
            {"due_date": i.due_date, "amount": billing.money(i.amount_pence), "status": s}
            for i, s in statused
        ],
        "next_instalment": (
            {"due_date": upcoming[0].due_date, "amount": billing.money(upcoming[0].amount_pence)}
            if upcoming else None
        ),
        "payments": [
            {"date": i.due_date, "amount": billing.money(i.amount_pence),
             "method": "Direct Debit" if account.payment_method == "direct_debit" else "Online"}
            for i, s in reversed(statused) if s == "paid"
        ],
        "payment_method": {
            "kind": account.payment_method, "description": payment_method_text(account),
            "instalments": current.instalments, "payment_day": current.payment_day,
        },
        "recovery_stage": {"code": account.recovery_stage,
                           "description": RECOVERY_STAGES[account.recovery_stage]},
        "payment_reference": account.account_number,
        "payment_url": f"{PAYMENT_URL}?account={account.account_number}",
    }


def band_lookup(session: Session, postcode: str, today: date) -> dict[str, Any]:
    normalised = normalise_postcode(postcode)
    if normalised is None:
        raise Problem(422, "invalid_postcode", "That is not a valid UK postcode.")
    year = billing.financial_year_of(today)
    rows = session.execute(
        select(Address, PropertyBand.band).join(PropertyBand, PropertyBand.uprn == Address.uprn)
        .where(Address.postcode == normalised).order_by(Address.uprn)
    ).all()
    return {
        "postcode": normalised,
        "financial_year": billing.financial_year_label(year),
        "properties": [{"uprn": a.uprn, "label": a.label, "band": band} for a, band in rows],
        "charges": [{"band": b, "annual_charge": billing.money(billing.band_charge_pence(b, year))}
                    for b in billing.BAND_RATIOS],
    }
