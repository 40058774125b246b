"""Turkish speakers writing English: the rules' false alarms and misses of the 2026-11-30-sb12 batch, by kind.

Each kind below is a general rule in content/red_flags.yml (or, for the framings that
reach a neighbouring question, in bot/safety/detector.py), not a copied sentence:
cutting or burning an arm "when the pain is too much" or "to cope" (self-harm; an
everyday cut with its cause named is not), Turkish "bel ağrı(sı)" as lower-back pain
(so a cough that makes it worse is the cough trigger), a question framed as being for
knowledge, a course or curiosity (also when the framing is a sentence of its own: "...?
I ask for knowledge only", "...? how to know the difference"), back pain in general as
a possible heart attack, "somebody with" as a general person, a fall as a what-if "one
day", someone else already in A&E or hospital as the reason to reschedule, childhood
said without "a" ("as child"), an infection that antibiotics cleared, tired legs after
long hours standing, one-leg sciatica from the buttock down to the foot (not saddle
numbness), and "can sciatica affect both legs?" asked about no one. The sentences are
written for these tests; each kind has a person's own current case in similar words
that must keep its level.
"""

from __future__ import annotations

import pytest

from bot.core.levels import ALERT_LEVELS
from tests.support.kinds import level, rows

BENIGN = [
    *rows("everyday-cut", "none", "I cut my finger chopping onions, can I still book a hand massage?"),
    *rows(
        "cut-from-garden", "none", "there is a small cut on my arm from the roses in the garden, is a back massage ok?"
    ),
    *rows("bel-agri-question", "none", "what stretches are good for bel ağrısı after sitting?"),
    *rows("knowledge-only", "none", "is back pain with a fever dangerous? I ask only for knowledge"),
    *rows("knowledge-same-sentence", "none", "is a fever with back pain serious, just curious"),
    *rows(
        "course-framing",
        "none",
        "can massage be done on someone with a blood clot? asking for my massage therapy course",
    ),
    *rows("study-framing", "none", "is chest tightness after lifting weights normal? asking for my study group"),
    *rows("difference-framing", "none", "can pain in the back be a heart attack? how to know the difference"),
    *rows("somebody-with", "none", "is it safe to massage somebody with a blood clot?"),
    *rows("fall-one-day", "none", "if I fall off the roof at work one day, do I call you or go to hospital?"),
    *rows(
        "other-in-ae",
        "none",
        "please move my appointment, my husband is in A&E with chest pain and we are waiting for doctors",
    ),
    *rows("other-in-hospital", "none", "cancel tomorrow please, my mother in hospital with a heart attack"),
    *rows("childhood-as-child", "none", "I fell off a horse as child and broke my wrist, is deep tissue ok now?"),
    *rows("childhood-when-small", "none", "when I was small I fell from a tree, all healed. Can I book a massage?"),
    *rows(
        "antibiotics-cleared",
        "none",
        "I had a urine infection in March, the antibiotics cleared it. Can I book a relaxing massage?",
    ),
    *rows(
        "standing-hours",
        "none",
        "after ten hours standing at the till my legs are dead, just tired, a foot massage please",
    ),
    *rows(
        "sciatica-question", "none", "can sciatica affect both legs?", "does sciatica go down both legs? just curious"
    ),
]

PROFESSIONAL = [
    *rows(
        "one-leg-sciatica-to-foot",
        "professional",
        "the pain runs from my buttock down my right leg to the foot, with pins and needles in my toes",
        "my wife has tingling from her bum down to her big toe on the left side",
    ),
    *rows("bel-agri-months", "professional", "bel ağrı for five months now, not getting better"),
]

REAL = [
    *rows(
        "cut-to-cope",
        "emergency",
        "when the back pain is too much I cut my arm, it helps me forget",
        "I burn my wrist sometimes to cope with the pain",
    ),
    *rows("hurt-self-on-purpose", "emergency", "I hurt myself on purpose when everything is too much"),
    *rows(
        "bel-agri-cough", "urgent", "when I cough my bel ağrısı gets much worse", "sneezing make my bel ağrı terrible"
    ),
    *rows("own-fever-question", "urgent", "is fever with back pain serious? I have both since yesterday"),
    *rows("own-heart-worry", "emergency", "I have back pain and sweating, can it be heart attack?"),
    *rows("framing-own-legs", "emergency", "my legs are numb? asking for my course"),
    *rows("other-at-home", "emergency", "my dad has chest pain at home right now, what do I do?"),
    *rows("own-after-other", "emergency", "my dad is in hospital with chest pain and now I have chest pain too"),
    *rows("fall-yesterday", "emergency", "I fell off a ladder yesterday and my back is very painful"),
    *rows("infection-not-cleared", "urgent", "I have a kidney infection, the antibiotics are not working, still fever"),
    *rows("legs-dead-cant-feel", "emergency", "both legs went dead and I can't feel them"),
    *rows("saddle-and-sciatica", "emergency", "numbness in my bum and pain from my bum down my leg"),
    *rows(
        "both-legs-own",
        "emergency",
        "can sciatica affect both legs? I have it in both",
        "Can sciatica affect both legs? Having it in both since Monday",
        "I have sciatica in both legs. Can sciatica affect both legs?",
        "my sciatica is in both legs now, can that happen?",
    ),
]


@pytest.mark.parametrize("text, expected", BENIGN)
def test_benign_kind_is_below_urgent(detector, text, expected):
    assert level(detector, text) == expected
    assert expected not in ALERT_LEVELS


@pytest.mark.parametrize("text, expected", PROFESSIONAL)
def test_professional_kind_stays_professional(detector, text, expected):
    assert level(detector, text) == expected


@pytest.mark.parametrize("text, expected", REAL)
def test_own_current_case_keeps_its_level(detector, text, expected):
    assert level(detector, text) == expected
