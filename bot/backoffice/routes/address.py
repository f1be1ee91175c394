"""Address lookup: postcode -> properties with UPRN and ward."""

from fastapi import APIRouter, Query
from pydantic import BaseModel
from sqlalchemy.orm import Session

from bot.backoffice.deps import db_session
from bot.backoffice.services import address as service

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
    normalised, rows = service.addresses_at(session, postcode)
    return AddressList(postcode=normalised, addresses=[AddressOut.from_orm(r) for r in rows])


@router.get("/{uprn}", response_model=AddressOut)
def get_address(uprn: str, session: Session = db_session) -> AddressOut:
    return AddressOut.from_orm(service.get_address(session, uprn))
