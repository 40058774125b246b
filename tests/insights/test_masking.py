"""bot.insights.masking: every kind of personal detail is masked, ordinary back-care wording is not."""

from __future__ import annotations

import pytest

from bot.insights.masking import DATE, EMAIL, PHONE, POSTCODE, mask


@pytest.mark.parametrize(
    "text, secret, label",
    [
        ("call me on 07700 900123 please", "07700 900123", PHONE),
        ("ring 07700900123", "07700900123", PHONE),
        ("my number is +44 7700 900123", "+44 7700 900123", PHONE),
        ("office (020) 7946 0958", "(020) 7946 0958", PHONE),
        ("US cell 555-123-4567", "555-123-4567", PHONE),
        ("+1 (212) 555 0100 ext", "+1 (212) 555 0100", PHONE),
        ("mail jo.bloggs+back@example.co.uk now", "jo.bloggs+back@example.co.uk", EMAIL),
        ("I live in SW1A 1AA", "SW1A 1AA", POSTCODE),
        ("postcode m1 1ae", "m1 1ae", POSTCODE),
        ("near EC1A1BB", "EC1A1BB", POSTCODE),
        ("zip 90210", "90210", POSTCODE),
        ("zip 10001-1234", "10001-1234", POSTCODE),
        ("dob 12/03/1980", "12/03/1980", DATE),
        ("born 1-3-80", "1-3-80", DATE),
        ("born 1980-03-12", "1980-03-12", DATE),
        ("born on 12th March 1980", "12th March 1980", DATE),
        ("born March 12, 1980", "March 12, 1980", DATE),
        ("born in march 1980", "march 1980", DATE),
    ],
)
def test_each_kind_of_detail_is_replaced_by_its_label(text, secret, label):
    masked = mask(text)
    assert secret not in masked
    assert label in masked


@pytest.mark.parametrize(
    "text",
    [
        "I'm 45 and my back has hurt for 6 weeks",
        "is a 30 minute massage enough?",
        "can I have 2 sessions a week",
        "pain level 7 out of 10 since 2019",
    ],
)
def test_ordinary_numbers_in_questions_stay(text):
    assert mask(text) == text


def test_several_details_in_one_message_are_all_masked():
    text = "I'm Jo, born 02/05/1975, 07700 900123, jo@example.com, SW1A 1AA"
    masked = mask(text)
    for secret in ("02/05/1975", "07700 900123", "jo@example.com", "SW1A 1AA"):
        assert secret not in masked
    assert masked.startswith("I'm Jo, born ")
