"""Masking of card numbers, bank details and secrets in what staff see."""

from bot.web.services.masking import mask_secrets


def test_valid_card_numbers_are_masked_to_their_last_four_digits():
    assert mask_secrets("card 4111-1111-1111-1111 ok") == "card [card ending 1111] ok"
    assert mask_secrets("5555555555554444") == "[card ending 4444]"


def test_numbers_that_are_not_cards_stay_visible():
    assert mask_secrets("UPRN 100000000101") == "UPRN 100000000101"
    assert mask_secrets("account 500000001") == "account 500000001"
    assert mask_secrets("1234 5678 9012 3456") == "1234 5678 9012 3456"  # fails Luhn


def test_bank_details_and_labelled_secrets_are_masked():
    assert mask_secrets("sort code 20-00-00") == "sort code [hidden]"
    assert mask_secrets("my bank account number is 12345678") == (
        "my bank account number is [hidden]")
    assert mask_secrets("IBAN GB29 NWBK 6016 1331 9268 19") == "IBAN [hidden]"
    assert mask_secrets("my password is hunter2!") == "my password is [hidden]"
    assert mask_secrets("CVV: 123") == "CVV: [hidden]"


def test_names_and_addresses_stay_visible():
    text = "Alex Example, 1 Acacia Avenue, AN1 1AA"
    assert mask_secrets(text) == text
