"""Ukrainian non-native English: the misses and false alarms of the 2026-11-30-sb16 batch, by kind.

Misses: loss of bladder sensation said inside a massage question ("no feeling when the
bladder is full", "I only notice once I am wet"); past cancer told by its department or
its treatment ("oncology", "chemo") with new back pain; sciatica told as a pain that goes
from the waist to the calf with a small toe that tingles. False alarms: "I feel like I was
hit by a truck" after a hard week (a comparison, with "I" first); a fever over by now said
the non-native way ("now I am healthy, no temperature 3 days"); injections or tablets
against blood clots in pregnancy (blood thinners: professional, not a clot or a bleed now).
The sentences are written for these tests; each kind has a case that must keep its level.
"""

from __future__ import annotations

import pytest

from bot.core.levels import ALERT_LEVELS
from tests.support.kinds import level, rows

BENIGN = [
    *rows(
        "feel-like-hit-by",
        "none",
        "after two weeks of night shifts I feel like I got hit by a train, can you do deep tissue?",
        "we feel like we were run over by a bus after moving flat, massage for two please",
    ),
    *rows(
        "fever-over-now",
        "none",
        "my fever was on Saturday, now it is Tuesday and I am fine, no temperature for three days",
        "had fever in weekend, now I'm fine already, can I come Wednesday?",
    ),
    *rows(
        "anticlot-treatment-in-pregnancy",
        "professional",
        "I am 20 weeks pregnant and take injections against clots every day, is massage allowed?",
        "pregnant with second baby, doctor gave me tablets to prevent blood clots, my back hurts a bit",
    ),
]

REAL = [
    *rows(
        "bladder-sensation-lost",
        "emergency",
        "can massage help my back when I also lost the feeling that my bladder is full?",
        "back is bad and I only notice once I'm already wet, I don't feel it coming",
    ),
    *rows(
        "past-cancer-by-its-treatment",
        "urgent",
        "was in oncology department three years ago, now my lower back hurts, is massage fine?",
        "after chemotherapy in 2021 I am ok but new pain in spine since a month",
    ),
    *rows(
        "sciatica-to-the-calf",
        "professional",
        "pain like electricity from my lower back to the calf, and my little toe tingles, no weakness",
    ),
    *rows(
        "real-collision",
        "emergency",
        "I was hit by a truck on the crossing an hour ago and my back hurts",
    ),
    *rows(
        "fever-now",
        "urgent",
        "I have fever since Monday and still temperature today with back pain",
    ),
    *rows(
        "pregnant-with-a-warning-sign",
        "emergency",
        "I am pregnant and on injections against clots, and today there is bleeding",
    ),
]


@pytest.mark.parametrize("text, expected", BENIGN)
def test_benign_kind_is_below_urgent(detector, text, expected):
    assert level(detector, text) == expected
    assert expected not in ALERT_LEVELS


@pytest.mark.parametrize("text, expected", REAL)
def test_own_current_case_keeps_its_level(detector, text, expected):
    assert level(detector, text) == expected
