"""Address lookup: postcode -> properties with UPRN and ward."""

from fastapi import APIRouter, Query
from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.backoffice.deps import db_session
from bot.backoffice.models import Address
from bot.backoffice.postcodes import normalise_postcode
from bot.http.problems import Problem

router = APIRouter(prefix="/addresses", tags=["address"])


class AddressOut(BaseModel):
    uprn: str
    label: str
    line1: str
    street: str
    town: str
    postcode: str
    ward: str
    collection_type: str

    class Config:
        orm_mode = True


class AddressList(BaseModel):
    postcode: str
    addresses: list[AddressOut]


@router.get("", response_model=AddressList)
def find_addresses(
    postcode: str = Query(..., max_length=16), session: Session = db_session
) -> AddressList:
    """Addresses at a postcode; an unknown postcode gives an empty list."""
    normalised = normalise_postcode(postcode)
    if normalised is None:
        raise Problem(422, "invalid_postcode", f"'{postcode}' is not a valid UK postcode.")
    rows = session.scalars(
        select(Address).where(Address.postcode == normalised).order_by(Address.uprn)
    ).all()
    return AddressList(postcode=normalised, addresses=[AddressOut.from_orm(r) for r in rows])


@router.get("/{uprn}", response_model=AddressOut)
def get_address(uprn: str, session: Session = db_session) -> AddressOut:
    address = session.get(Address, uprn)
    if address is None:
        raise Problem(404, "unknown_uprn", f"No property has UPRN {uprn}.")
    return AddressOut.from_orm(address)
