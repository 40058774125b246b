"""Nigerian English and Pidgin wording: the rules' false alarms and misses of the 2026-11-30-sb11 batch, by kind.

Each kind below is a general rule in content/red_flags.yml, not a copied sentence:
someone else's illness as the reason to reschedule or travel ("I am going to care
for her", "I need to be there"), a back lump already removed or found harmless, a
fever the writer might get ("if I get a fever after..."), a back "broken" by hours
of dancing, "no problem urinating" as a denial (a bare "no problem" stays a
PSEUDO), a bleed seen in pregnancy ("I saw blood"), Pidgin fever and shivers ("my
body dey hot", "I dey shiver"), "not strong again" (no longer strong) and a weakness
"increasing", and two triggers named together ("when I laugh or cough"). A second
round: "not finding it easy to urinate", Pidgin "no fit hold her urine", "passed
urine on himself", "no longer know when I need to", "it is only drops", "my body is
very hot", "started having temperature", clothes "falling from my body", a face
"turned to one side", one side "not strong", "uses drugs, he injects", a calf
"swollen and painful", a fever and a neck he "won't move". The
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
    # second round: look-alikes of the new wordings
    *rows("not-easy-sleep", "none", "I am not finding it easy to sleep because of my back pain"),
    *rows("no-fit-hold-phone", "none", "I no fit hold my phone well because my shoulder dey pain me"),
    *rows("passed-stool-normally", "none", "my son passed stool normally today, only his back is stiff"),
    *rows("no-longer-know-which", "none", "I no longer know which massage to book for my back"),
    *rows("only-eye-drops", "none", "I only use eye drops, no other medicine. Can I book a back massage?"),
    *rows("body-hot-sauna", "none", "my body is very hot after the sauna, is massage ok for my back?"),
    *rows("clothes-from-hanger", "none", "my clothes are falling from the hanger, can you recommend a back stretch?"),
    *rows("turned-to-one-side", "none", "I turned to one side in my sleep and my back is stiff"),
    *rows("mattress-not-strong", "none", "one side of my mattress is not strong again, is that why my back is stiff?"),
    *rows(
        "inject-insulin", "none", "I inject insulin and take drugs for my blood pressure, can I have a back massage?"
    ),
    *rows("calf-kicked", "none", "my calf is sore and swollen after football, someone kicked it"),
    *rows("chest-press-machine", "none", "the chest press machine at the gym is paining my back"),
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
    # second round: the rules' remaining misses of sb11, in new words
    *rows(
        "not-easy-to-urinate",
        "emergency",
        "I am not finding it easy to pass urine since morning and my waist is paining me",
    ),
    *rows("no-fit-hold-urine", "emergency", "my grandma no fit hold her urine again, and her back dey pain her"),
    *rows(
        "passed-urine-on-himself", "emergency", "he passed urine on himself this morning and his back is paining him"
    ),
    *rows(
        "no-longer-know-when",
        "emergency",
        "since yesterday I no longer know when I need to urinate, and my back is paining me",
    ),
    *rows("only-drops", "emergency", "when I try to pee it is only drops, and my lower back is paining me"),
    *rows("body-very-hot", "urgent", "my body is very hot since morning and my back dey pain me"),
    *rows("started-having-temperature", "urgent", "I started having temperature and my back is paining me"),
    *rows(
        "clothes-falling-from-body",
        "urgent",
        "my trousers are falling from my waist, I did not diet, and my back is paining me for a month",
    ),
    *rows(
        "face-turned-one-side",
        "emergency",
        "my uncle's face turned to one side this morning, and his back was paining him",
    ),
    *rows("side-not-strong", "emergency", "one side of her body is not strong since this morning, she has back pain"),
    *rows("uses-drugs-injects", "urgent", "my brother uses drugs and injects them, his back is paining him badly"),
    *rows("calf-swollen-painful", "urgent", "my left calf is swollen and painful since my flight yesterday"),
    *rows("fever-wont-move-neck", "emergency", "my daughter has fever and she won't move her neck, her back hurts"),
    *rows("chest-is-paining", "emergency", "my chest is paining me since morning and my upper back too"),
]


@pytest.mark.parametrize("text, expected", BENIGN)
def test_benign_kind_is_below_urgent(detector, text, expected):
    assert level(detector, text) == expected
    assert expected not in ALERT_LEVELS


@pytest.mark.parametrize("text, expected", REAL)
def test_own_current_case_keeps_its_level(detector, text, expected):
    assert level(detector, text) == expected
