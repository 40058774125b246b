"""Non-native (Mandarin speaker's) wording: the rules' false alarms of the 2026-11-30-sb10 batch, by kind.

The rules' ConText modifiers were written for native grammar. Each kind below is
a general rule in content/red_flags.yml, not a copied sentence: a recovery said
"recover already" or "but stop now", a symptom gone "in one minute", "long time
ago" and "10 year ago" without the article or the plural, bleeding "early this
pregnancy", a rule heard from someone ("my friend say if..."), back pain as the
general subject of a what-if, "can cupping make...", "how i know" and "is ...
actually", "what weight loss is...", "is X a bad sign", too full to breathe after
a meal, a spine "broken" after a long shift, a child's fever as the reason to
cancel, "a temp job" (work, not a temperature), "neck and shoulder massage" as the place of a massage (no pain), and "down below the knee" as a direction down the leg, not the saddle
area. The sentences are written for these tests; each kind has a person's own
current case in similar words that must keep its level.
"""

from __future__ import annotations

import pytest

from bot.core.levels import ALERT_LEVELS
from tests.support.kinds import level, rows

BENIGN = [
    *rows("recover-already", "none", "my wife had flu and fever last week, recover already, now only shoulder tight"),
    *rows("gone-in-a-minute", "none", "my bum go numb on long flight, but i walk a bit and in two minute it ok"),
    *rows("long-time-ago", "none", "long time ago, maybe 15 year, i fall off motorbike, now no problem"),
    *rows("year-without-plural", "none", "i have car accident 8 year ago, no problem since, just want relax massage"),
    *rows("someone-says-if", "none", "my mum always say if cant feel leg must go hospital, why?"),
    *rows("general-what-if", "none", "is it dangerous if back pain come with chills?"),
    *rows("how-i-know", "none", "how to know if back pain is fracture or muscle?"),
    *rows("is-actually", "none", "how can you tell if back pain is actually heart attack or just muscle?"),
    *rows("what-symptom", "none", "what weight loss is dangerous for older people?"),
    *rows("bad-sign", "none", "is night pain a warning sign for back?"),
    *rows("too-full", "none", "new year dinner i ate so much i cant breathe, now my back ache from sitting"),
    *rows("long-shift", "none", "my back feel broken after double shift in kitchen, just tired"),
    *rows("child-ill-cancel", "none", "sorry must cancel tomorrow, my daughter has fever, i stay home with her"),
    *rows("below-the-knee", "professional", "sciatica left side, tingle go down below the knee, can massage help?"),
    *rows("early-this-pregnancy", "professional", "18 weeks pregnant, spotting early this pregnancy but stop now, ok?"),
    *rows("treatment-risk", "professional", "i have osteoporosis, can gua sha make my bone broken?"),
    *rows("massage-place", "professional", "my dad is bowel cancer survivor 8 year, he want back and neck massage"),
    *rows("temp-job", "none", "i got a temp job packing boxes and my lower back aches after a shift"),
]

REAL = [
    *rows("recover-then-back", "urgent", "fever recover already but now chills again and my back very pain"),
    *rows("numb-stays", "emergency", "my bum go numb after sitting and even stand up still numb now"),
    *rows("recent-fall", "emergency", "long time ago i hurt my back, but yesterday i fall from ladder, back very pain"),
    *rows("reported-not-rule", "emergency", "my friend say i cant pee since this morning and back very painful"),
    *rows("own-fever", "urgent", "back pain and fever since yesterday, is it bad?"),
    *rows("own-fracture", "emergency", "how i know if i have fracture? i fall down stairs yesterday, back very pain"),
    *rows(
        "own-chest",
        "emergency",
        "how do you know if it is heart attack? my chest very tight and pain go to left arm now",
    ),
    *rows("own-weight-loss", "urgent", "i lose weight 6kg no reason and my back pain"),
    *rows("own-night-pain", "urgent", "i get night pain every night, cannot sleep, is it a bad sign?"),
    *rows("breathless-acute", "emergency", "after dinner i cant breathe suddenly, chest tight"),
    *rows("fall-broken", "emergency", "my spine feel broken after i fall from ladder"),
    *rows("own-fever-too", "urgent", "my son has fever, and i also have fever and back pain"),
    *rows("saddle-too", "emergency", "numb down below and pain go down below my knee"),
    *rows(
        "bleeding-now", "emergency", "pregnant 16 weeks, some bleeding early this pregnancy, now bleeding again today"
    ),
    *rows(
        "cancer-pain-now",
        "urgent",
        "i had breast cancer, now my neck and shoulder very painful, want neck and shoulder massage",
    ),
    *rows("temp-fever", "urgent", "got a temp since last night and my back aches"),
    *rows("osteo-fall", "urgent", "i have osteoporosis and i fall in bathroom yesterday, now back very painful"),
]


@pytest.mark.parametrize("text, expected", BENIGN)
def test_benign_kind_is_below_urgent(detector, text, expected):
    assert level(detector, text) == expected
    assert expected not in ALERT_LEVELS


@pytest.mark.parametrize("text, expected", REAL)
def test_own_current_case_keeps_its_level(detector, text, expected):
    assert level(detector, text) == expected
