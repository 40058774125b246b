"""Jamaican and Caribbean English: the spellings the 2026-11-29-sb9 batch showed the rules could not read.

"mi cyaan feel mi foot dem", "mi tek di tablets", "nuh fever": the lexicon's
spellings map mi, di, cyaan, nuh, tek, pon, fi... to the words the flags and the
ConText modifiers use, so a symptom and its denial are both read. "mi" is
mapped to "my" (body parts and relatives need the possessive; "mi" as "I"
caught fewer of the batch's emergencies). Sentences written for these tests.
"""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    "text, expected",
    [
        pytest.param("mi cyaan feel mi two leg dem since dis morning, back bad bad", "emergency", id="both-legs"),
        pytest.param("mi husband cyaan pee from last night an him back a kill him", "emergency", id="retention"),
        pytest.param("mi tek di whole pack a tablets fi end it", "emergency", id="overdose"),
        pytest.param("nuh fever, nuh weight loss, mi back just stiff from di yard work", "none", id="denied-list"),
        pytest.param("mi breathe fine, nuh chest pain, just a knot inna mi shoulder", "none", id="denied-chest"),
    ],
)
def test_patois_is_read(detector, text, expected):
    assert detector.assess(text).level == expected, detector.assess(text).flags
