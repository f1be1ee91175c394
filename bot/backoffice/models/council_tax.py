"""The council tax system: property bands, accounts, payment arrangements, verification
(tokens and failed attempts) and residents' requests."""

from datetime import datetime

from sqlalchemy import Column, Date, DateTime, ForeignKey, Integer, String, Text

from bot.backoffice.models.base import Base


class PropertyBand(Base):
    """The Valuation Office Agency's band for each property in the gazetteer."""

    __tablename__ = "ct_property_bands"

    uprn = Column(String(12), ForeignKey("addresses.uprn"), primary_key=True)
    band = Column(String(1), nullable=False)


class CouncilTaxAccount(Base):
    __tablename__ = "ct_accounts"

    account_number = Column(String(9), primary_key=True)
    uprn = Column(String(12), ForeignKey("addresses.uprn"), nullable=False, index=True)
    first_name = Column(String(60), nullable=False)
    surname = Column(String(60), nullable=False)
    # "direct_debit", "online" (card, phone or online banking) or "none" (nothing to pay).
    payment_method = Column(String(20), nullable=False)
    # Only the last four digits are kept: the stub never holds a full bank account number.
    bank_account_last4 = Column(String(4), nullable=True)
    discount = Column(String(30), nullable=True)  # "single_person"
    exemption_class = Column(String(1), nullable=True)  # "N": all residents are students
    # The stub's payer behaviour: every instalment falls paid on its due date except the
    # most recent `missed_instalments`, so balances stay true whatever today is.
    missed_instalments = Column(Integer, nullable=False, default=0)
    # "none", "reminder", "second_reminder", "final_notice", "summons", "liability_order"
    recovery_stage = Column(String(20), nullable=False, default="none")


class PaymentArrangement(Base):
    """How an account pays from a date on; the latest one in force decides the schedule."""

    __tablename__ = "ct_arrangements"

    id = Column(Integer, primary_key=True, autoincrement=True)
    account_number = Column(
        String(9), ForeignKey("ct_accounts.account_number"), nullable=False, index=True
    )
    effective_from = Column(Date, nullable=False)
    instalments = Column(Integer, nullable=False)  # 10 or 12
    payment_day = Column(Integer, nullable=False)  # 1, 8, 15 or 23
    created_at = Column(DateTime, nullable=False, default=datetime.utcnow)


class VerificationToken(Base):
    """Proof a resident passed verification; only a hash of the token is stored."""

    __tablename__ = "ct_verification_tokens"

    token_hash = Column(String(64), primary_key=True)
    account_number = Column(
        String(9), ForeignKey("ct_accounts.account_number"), nullable=False, index=True
    )
    expires_at = Column(DateTime, nullable=False)


class VerificationFailure(Base):
    """A failed verification, kept for the account number as typed (whether or not an account
    has it) to limit guessing across conversations; only the last hour's are kept."""

    __tablename__ = "ct_verification_failures"

    id = Column(Integer, primary_key=True, autoincrement=True)
    account_number = Column(String(20), nullable=False, index=True)
    failed_at = Column(DateTime, nullable=False)


class CouncilTaxRequest(Base):
    """A discount or exemption application, or a change of address, awaiting an officer."""

    __tablename__ = "ct_requests"

    reference = Column(String(12), primary_key=True)
    account_number = Column(
        String(9), ForeignKey("ct_accounts.account_number"), nullable=True, index=True
    )
    # "single_person_discount", "student_exemption", "move_in", "move_out", "move_within"
    kind = Column(String(30), nullable=False)
    effective_from = Column(Date, nullable=False)
    details = Column(Text, nullable=False, default="{}")  # JSON: what the resident told us
    status = Column(String(20), nullable=False, default="received")
    created_at = Column(DateTime, nullable=False, default=datetime.utcnow)


__all__ = [
    "CouncilTaxAccount", "CouncilTaxRequest", "PaymentArrangement", "PropertyBand",
    "VerificationFailure", "VerificationToken",
]
