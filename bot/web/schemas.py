"""Request bodies the gateway accepts; anything else is a 422 with the field named."""

from __future__ import annotations

import re

from pydantic import BaseModel, Extra, Field, root_validator, validator

PHONE = re.compile(r"^\+?[0-9 ()-]{7,20}$")
# NUL (PostgreSQL refuses it in text) and lone UTF-16 surrogates (not encodable as UTF-8): a
# JSON body can carry both as escapes, and no store can keep them.
UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def storable(value: object) -> object:
    if isinstance(value, str) and UNSTORABLE.search(value):
        raise ValueError("contains characters that cannot be stored (NUL or a lone surrogate)")
    return value
EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]{1,190}\.[A-Za-z]{2,}$")


class ResidentMessage(BaseModel):
    """`{"text": ...}` or `{"payload": ...}` (a quick-reply button; `text` is then its title)."""

    text: str = ""
    payload: str | None = None

    class Config:
        extra = Extra.forbid

    @validator("text", pre=True)
    def _text_is_a_string(cls, value: object) -> object:
        if value is None:
            raise ValueError("must be a string")
        return value

    _storable = validator("text", "payload", allow_reuse=True)(storable)

    @root_validator(skip_on_failure=True)
    def _text_or_payload(cls, values: dict) -> dict:
        text = (values.get("text") or "").strip()
        payload = (values.get("payload") or "").strip() or None
        if not text and not payload:
            raise ValueError("send a non-empty 'text' or a button 'payload'")
        values["text"], values["payload"] = text or payload, payload
        return values


class Rating(BaseModel):
    """`{"score": 1..5, "comment": "..."}`: the resident's one-question rating of the chat."""

    score: int = Field(..., ge=1, le=5)
    comment: str = Field("", max_length=1000)

    class Config:
        extra = Extra.forbid


class Feedback(BaseModel):
    """`{"message_id": "12"}`: the assistant's reply the resident found not helpful."""

    message_id: str = Field(..., regex=r"^[0-9]{1,18}$")

    class Config:
        extra = Extra.forbid


class ContactDetails(BaseModel):
    name: str = ""
    phone: str = ""
    email: str = ""
    best_time: str = ""

    class Config:
        extra = Extra.forbid
        anystr_strip_whitespace = True

    _storable = validator("name", "phone", "email", "best_time", allow_reuse=True)(storable)

    @validator("name", "best_time")
    def _short(cls, value: str) -> str:
        if len(value) > 120:
            raise ValueError("must be 120 characters or fewer")
        return value

    @validator("phone")
    def _phone(cls, value: str) -> str:
        if value and not PHONE.match(value):
            raise ValueError("enter a phone number, like 01632 960 001")
        return value

    @validator("email")
    def _email(cls, value: str) -> str:
        if value and not EMAIL.match(value):
            raise ValueError("enter an email address, like name@example.com")
        return value

    @root_validator(skip_on_failure=True)
    def _one_way_to_reach(cls, values: dict) -> dict:
        if not values.get("phone") and not values.get("email"):
            raise ValueError("give a phone number or an email address")
        return values
