"""SQLAlchemy models of the stub back office, one module per council system."""

from bot.backoffice.models.address import Address
from bot.backoffice.models.base import Base
from bot.backoffice.models.council_tax import (
    CouncilTaxAccount,
    CouncilTaxRequest,
    PaymentArrangement,
    PropertyBand,
    VerificationFailure,
    VerificationToken,
)
from bot.backoffice.models.idempotency import IdempotencyRecord
from bot.backoffice.models.rough_sleeping import (
    OutreachTeam,
    RoughSleepingReport,
    SevereWeatherProtocol,
)
from bot.backoffice.models.waste import (
    BulkyBooking,
    ContainerRequest,
    CrewNote,
    GardenWasteSubscription,
    MissedBinReport,
)

__all__ = ["Address", "Base", "IdempotencyRecord",
           "CouncilTaxAccount", "CouncilTaxRequest", "PaymentArrangement", "PropertyBand",
           "VerificationFailure", "VerificationToken",
           "OutreachTeam", "RoughSleepingReport", "SevereWeatherProtocol",
           "BulkyBooking", "ContainerRequest", "CrewNote", "GardenWasteSubscription",
           "MissedBinReport"]
