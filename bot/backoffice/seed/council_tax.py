"""The demo council's council tax: a band for every property and the three demo accounts."""

from datetime import date

from sqlalchemy.orm import Session

from bot.backoffice.models.council_tax import (
    CouncilTaxAccount,
    PaymentArrangement,
    PropertyBand,
)

BANDS = {
    "100000000101": "C", "100000000102": "C", "100000000103": "D", "100000000104": "C",
    "100000000201": "A", "100000000202": "A", "100000000203": "A",
    "100000000204": "B", "100000000205": "A", "100000000206": "B",
    "100000000310": "E", "100000000312": "F",
}
# Opening arrangements are dated long ago, so they are in force in whatever year it is now.
OPENING = date(2000, 4, 1)


def seed_council_tax(session: Session) -> None:
    session.flush()  # the addresses first: bands and accounts refer to them
    for uprn, band in BANDS.items():
        session.add(PropertyBand(uprn=uprn, band=band))
    session.add_all([
        # docs/contract.md section 3: up to date, 10 instalments by Direct Debit on the 1st.
        CouncilTaxAccount(
            account_number="500000001", uprn="100000000101", first_name="Alex",
            surname="Example", payment_method="direct_debit", bank_account_last4="1234",
            missed_instalments=0, recovery_stage="none",
        ),
        # Single person discount; the two latest instalments missed; second reminder sent.
        CouncilTaxAccount(
            account_number="500000002", uprn="100000000310", first_name="Sam",
            surname="Sample", payment_method="online", discount="single_person",
            missed_instalments=2, recovery_stage="second_reminder",
        ),
        # Student exemption (Class N): nothing to pay.
        CouncilTaxAccount(
            account_number="500000003", uprn="100000000203", first_name="Jo",
            surname="Student", payment_method="none", exemption_class="N",
            missed_instalments=0, recovery_stage="none",
        ),
    ])
    session.flush()
    for account_number in ("500000001", "500000002", "500000003"):
        session.add(PaymentArrangement(
            account_number=account_number, effective_from=OPENING, instalments=10, payment_day=1,
        ))
