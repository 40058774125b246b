"""Nigerian English and Pidgin wording: the rules' false alarms and misses of the 2026-11-30-sb11 batch, by kind.

Each kind below is a general rule in content/red_flags.yml, not a copied sentence:
someone else's illness as the reason to reschedule or travel ("I am going to care
for her", "I need to be there"), a back lump already removed or found harmless, a
fever the writer might get ("if I get a fever after..."), a back "broken" by hours
of dancing, "no problem urinating" as a denial (a bare "no problem" stays a
PSEUDO), a bleed seen in pregnancy ("I saw blood"), Pidgin fever and shivers ("my
body dey hot", "I dey shiver"), "not strong again" (no longer strong) and a weakness
"increasing", and two triggers named together ("when I laugh or cough"). The
sentences are written for these tests; each kind has a person's own current case
in similar words that must keep its level.
"""

from __future__ import annotations

import pytest

from bot.core.levels import ALERT_LEVELS
from tests.support.kinds import level, rows

BENIGN = [
    *rows(
        "other-ill-travel",
        "none",
        "please shift my booking, my father broke his hip and I am flying home to be with him",
    ),
    *rows(
        "other-ill-there",
        "none",
        "cancel my Friday slot, my aunty has kidney infection in hospital, I have to be there",
    ),
    *rows("lump-removed", "none", "the lump on my back was removed in January, it was benign. Can I do deep tissue?"),
    *rows("if-i-get-fever", "none", "if I get fever after the hot stone massage, what should I do?"),
    *rows("danced-broken", "none", "my back is broken o, we danced all night at my cousin's wedding 😂"),
    *rows("no-problem-urinating", "none", "I strained my back at work. No problem urinating, no numbness. Just stiff."),
]

REAL = [
    *rows("own-pain-other-ill", "urgent", "my father broke his hip and his back is paining him, I want to be with him"),
    *rows("new-lump-after-removal", "urgent", "I had a cyst removed from my back and now a new lump is growing there"),
    *rows("lump-question", "urgent", "there is a lump on my back, is it a harmless cyst?"),
    *rows("own-fever", "urgent", "I get fever every evening and my lower back is paining me"),
    *rows("fall-dancing", "urgent", "I fell while dancing in church and I think I broke my back"),
    *rows("problem-urinating", "emergency", "my back is paining me and I have problem urinating since yesterday"),
    *rows("pregnant-saw-blood", "emergency", "I am 30 weeks pregnant and I saw blood with pain in my back"),
    *rows("pidgin-fever", "urgent", "my waist dey pain me and my body dey hot since yesterday"),
    *rows("pidgin-shiver", "urgent", "my back dey pain me, I dey shiver for night"),
    *rows("not-strong-again", "urgent", "my right leg is not strong again since last week"),
    *rows("weakness-increasing", "urgent", "the weakness in my leg is increasing every day"),
    *rows("laugh-or-sneeze", "urgent", "when I sneeze or laugh my back pain shoots like electric"),
]


@pytest.mark.parametrize("text, expected", BENIGN)
def test_benign_kind_is_below_urgent(detector, text, expected):
    assert level(detector, text) == expected
    assert expected not in ALERT_LEVELS


@pytest.mark.parametrize("text, expected", REAL)
def test_own_current_case_keeps_its_level(detector, text, expected):
    assert level(detector, text) == expected
