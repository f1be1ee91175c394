"""Masks payment-card numbers, bank details and secrets in text shown to staff.

Names and addresses stay visible: the agent handling the case needs them. The card and bank
patterns are bot/payment_details.py's, the same the gateway removes before storing a message.
"""

from __future__ import annotations

import re

from bot.payment_details import replace_payment_details

MASK = "[hidden]"

_LABELLED_SECRET = re.compile(
    r"\b(password|passcode|pin|cvv|cvc|security\s+code|memorable\s+word)(\s*(?:is|:)?\s*)(\S+)",
    re.IGNORECASE,
)


def mask_secrets(text: str) -> str:
    text = replace_payment_details(text, lambda digits: f"[card ending {digits[-4:]}]", MASK)
    return _LABELLED_SECRET.sub(lambda m: m.group(1) + m.group(2) + MASK, text)
