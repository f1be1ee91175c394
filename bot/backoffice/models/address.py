"""The gazetteer: properties by UPRN, with postcode and ward."""

from sqlalchemy import Column, String

from bot.backoffice.models.base import Base


class Address(Base):
    __tablename__ = "addresses"

    uprn = Column(String(12), primary_key=True)
    line1 = Column(String(120), nullable=False)
    street = Column(String(120), nullable=False)
    town = Column(String(60), nullable=False)
    postcode = Column(String(8), nullable=False, index=True)
    ward = Column(String(60), nullable=False)
    # "kerbside" or "communal": decides which waste services a property gets.
    collection_type = Column(String(20), nullable=False)
    collection_day = Column(String(10), nullable=False)

    @property
    def label(self) -> str:
        return f"{self.line1}, {self.town}, {self.postcode}"
