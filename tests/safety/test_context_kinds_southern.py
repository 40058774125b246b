"""American Southern wording: the misses the 2026-11-29-sb8 batch showed, by kind.

Dropped g's ("bleedin", "swellin") are restored by the normaliser when the full
word is in the lexicon, so each kind needs its words there: pregnancy said as
"months along", blood "gushing", a "spill" in someone with brittle bones,
cancer treatment as "radiation", one leg (not only the calf) swollen, red and
hot. The sentences are written for these tests, not copied from a batch; each
kind has a look-alike that must stay below urgent.
"""

from __future__ import annotations

import pytest

from bot.core.levels import ALERT_LEVELS


@pytest.mark.parametrize(
    "text, expected",
    [
        pytest.param("my daughter-in-law is 7 months along and she's bleedin bad", "emergency", id="months-along"),
        pytest.param("30 weeks along and there's blood gushin out, what do we do", "emergency", id="gushing-blood"),
        pytest.param("i'm 80 with thin bones and took a spill in the garden, back hurts bad", "urgent", id="spill"),
        pytest.param(
            "been getting radiation treatments for my prostate and now my back aches", "urgent", id="radiation"
        ),
        pytest.param("my right leg's swole up and it's red and hot to touch", "urgent", id="one-leg-swollen-hot"),
    ],
)
def test_southern_wording_is_flagged(detector, text, expected):
    assert detector.assess(text).level == expected, detector.assess(text).flags


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("my back is a few weeks along in healing, can I book a gentle one", id="weeks-along-not-pregnant"),
        pytest.param("both legs swell up a bit in the heat and get red from the sun", id="both-legs-sunburn"),
        pytest.param(
            "read that radiation from phones is bad for you, anyway my shoulders are tight", id="radiation-other-sense"
        ),
    ],
)
def test_southern_look_alikes_stay_below_urgent(detector, text):
    assert detector.assess(text).level not in ALERT_LEVELS, detector.assess(text).flags
