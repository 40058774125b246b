"""Cancer treatment and a weak immune system: urgent only with a pain now (SPEC section 3).

SPEC puts "IV drug use or weak immune system WITH back pain" at urgent. The
flags ``immunosuppressed`` (chemo, a transplant, methotrexate...) and
``iv_drug_use`` used to fire on the treatment alone, so "is massage safe during
chemo?" was an urgent alert. They now need ``pain_mention`` and are
professional without it (see a GP before massage). 'back' as the place of the
massage asked for ("can she have a back massage") or as a return ("getting
back in the gym") is no pain. A long-ago time ("2 yrs ago") stays with the
treatment it belongs to: a pain said to be new, constant or since Monday still
counts. Sentences written for these tests.
"""

from __future__ import annotations

import pytest

from bot.core.levels import ALERT_LEVELS
from tests.support.kinds import level, rows


@pytest.mark.parametrize(
    "text, expected",
    rows(
        "question-without-pain",
        "professional",
        "is massage safe during chemo?",
        "my mum is having chemotherapy, would a gentle massage help her relax",
        "can I get a massage if I take methotrexate",
        "my mum is having chemo, can she have a back massage",
        "I finished chemotherapy, can I have massage on the back?",
        "finished chemo and getting back in the gym, is massage ok for me",
        "had a kidney transplant in 2019, is massage ok",
        "heroin user, can I still book a massage",
    ),
)
def test_treatment_without_pain_is_below_urgent(detector, text, expected):
    assert level(detector, text) == expected
    assert level(detector, text) not in ALERT_LEVELS


@pytest.mark.parametrize(
    "text, expected",
    rows(
        "with-pain",
        "urgent",
        "on chemo and my back has been killing me for a week",
        "had a kidney transplant, now back pain and a temperature",
        "my immune system is weak and my back hurts",
        "on humira for crohns, lower back has been agony since monday",
        "on chemo, my back is bad, can I get a back massage",
        "I inject drugs and my back is killing me",
        "I used to inject heroin and now my back hurts",
        "iv drug user, back pain for a few days",
    ),
)
def test_treatment_with_pain_is_urgent(detector, text, expected):
    assert level(detector, text) == expected


@pytest.mark.parametrize(
    "text, expected",
    rows(
        "history-scope",
        "urgent",
        "done with chemo 2 yrs ago but now new back pain since last week",
        "breast cancer survivor, done with chemo 2 yrs ago, new pain in my mid back thats constant",
        "new back pain, chemo finished 2 years ago",
        "I had chemo 3 years ago, back pain since monday",
        "had a transplant 4 years ago, back pain for 3 days",
        "finished chemo last year and I have a new ache in my lower back",
    ),
)
def test_long_ago_treatment_with_new_pain_is_urgent(detector, text, expected):
    assert level(detector, text) == expected


@pytest.mark.parametrize(
    "text, expected",
    rows(
        "pain-that-is-over",
        "professional",
        "transplant years ago, had back pain last year, now fine, can I have a massage",
        "had back pain years ago, now on chemo, is massage ok",
    ),
)
def test_pain_that_is_over_does_not_make_it_urgent(detector, text, expected):
    assert level(detector, text) == expected


@pytest.mark.parametrize(
    "text, expected",
    rows(
        "pregnancy-complication",
        "professional",
        "I am pregnant 24 weeks and I have diabetes gestacional and the pressure a little high, can I come for back massage?",
        "my wife is 16 weeks pregnant and had a bleed at 10 weeks, the consultant is keeping an eye on her cervix",
    ),
)
def test_pregnancy_complication_wording(detector, text, expected):
    """These were professional only by accident ('24 weeks' read as a pain lasting six weeks, 'back massage'
    as the pain); the complication itself now keeps them professional."""
    assert level(detector, text) == expected
