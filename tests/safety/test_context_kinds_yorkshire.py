"""Yorkshire and plain-spoken northern English: the rules' false alarms and misses of the 2026-11-30-sb15 batch, by kind.

Most false alarms were families earlier rounds had fixed, hidden by dialect: "me dad",
"me mam", "our lass", "our kid", "grandad's been rushed in". The lexicon's
``spellings_in_context`` now read northern "me" as "my" before a relation or a body word
(never after "give", "tell", "help", "for"...), "our lass"/"our kid"/"our lad" as a wife,
brother and son, "our" before a first name as a relative, and "off us" as "off me", so
every existing ConText rule sees them. Then, as general rules in content/red_flags.yml:
someone else in care in northern words ("taken into hospital", "rushed in", "I'm at the
hospital with her", "going down to see him"); a what-if asked as "what would happen
if ... ?" or "say I fell..., would you...?"; a fever "long gone"; questions about a word
("what counts as"), the warning signs asked for, a condition's name asked about or read
about, what a scan report means; legs dead after a hill challenge given as a distance.
Misses: losing bladder control said as a question ("to not be able to hold your
water") with "started today", weight that has "fallen off", night named first ("at
night it's unbearable"), and a fall "maybe 12 foot". The sentences are written for
these tests; each kind has a case that must keep its level.
"""

from __future__ import annotations

import pytest

from bot.core.levels import ALERT_LEVELS
from tests.support.kinds import level, rows

BENIGN = [
    *rows(
        "dialect-relation-in-care",
        "none",
        "can't come Tuesday, me mam's been taken into hospital with chest pains",
        "sorry to mess you about, our kid's been rushed in, they reckon it's a heart attack",
        "need to move me booking, me grandad had a fall and broke his hip, I'm at the hospital with him",
        "our Sharon had a crash on the motorway and I'm heading over to see her, can we do Friday?",
        "me uncle's been blue-lighted in with a stroke so I won't make it",
    ),
    *rows(
        "dialect-relation-fever",
        "none",
        "got to cancel, our lass is full of flu with a fever and I've the kids to see to",
        "me little lad has got a fever so I'm stopping home with him, sorry",
    ),
    *rows(
        "old-injury-in-me-twenties",
        "none",
        "broke me ribs coming off a quad bike in me twenties, all mended now, just after a relaxing one",
    ),
    *rows(
        "what-if",
        "none",
        "what would happen if I turned up and then got a fever halfway through?",
        "say I slipped off the roof at work, would you still see me after?",
    ),
    *rows(
        "fever-long-gone",
        "none",
        "had a rotten temperature back in March, long gone, just stiff shoulders now",
    ),
    *rows(
        "information-questions",
        "none",
        "what counts as a 'severe' night pain on your leaflet?",
        "could you tell me the warning signs of a clot in the leg? driving to Spain next week",
        "cauda equina syndrome signs, what are they",
        "is a heart attack the thing where your arm goes? heard about it on the radio",
        "the MRI report mentions wear and tear at two levels, does that mean my back is broken?",
    ),
    *rows(
        "negation",
        "none",
        "back's sore but I can feel everything down below and I'm weeing normal",
    ),
    *rows(
        "tired-legs-after-a-challenge",
        "none",
        "legs are dead after the Yorkshire Three Peaks. Both of them, absolutely shattered",
        "both legs are dead after 26 mile round the dales, fancy a sports massage",
    ),
]

REAL = [
    *rows(
        "dialect-own-flag",
        "emergency",
        "me legs have gone numb, both of them, and me back's killing",
        "I've been rushed in before but now me legs are numb since this morning and I can't wee",
    ),
    *rows(
        "relation-not-in-care",
        "emergency",
        "me dad fell off the garage roof an hour ago and can't feel his legs",
        "our kid came off his motorbike this morning and his back's in bits",
    ),
    *rows(
        "own-chest-pain-in-hospital",
        "emergency",
        "I'm in hospital with chest pains now, will I lose me deposit?",
    ),
    *rows(
        "what-if-that-happened",
        "urgent",
        "what would happen if I came in today, I've had a fever since yesterday and me back aches",
    ),
    *rows(
        "warning-signs-with-my-own",
        "urgent",
        "what are the warning signs, my calf is hot and swollen since Monday",
    ),
    *rows(
        "bladder-control-as-a-question",
        "emergency",
        "is it normal to not be able to hold me water since me back went? only started this morning",
    ),
    *rows(
        "weight-fallen-off",
        "urgent",
        "weight's dropping off me and I've had this back ache for weeks, not trying to lose it",
    ),
    *rows(
        "night-named-first",
        "urgent",
        "at night it's unbearable, I'm pacing the landing, the days are just about bearable",
    ),
    *rows(
        "fall-from-height-in-feet",
        "emergency",
        "come off a ladder, dropped maybe 10 foot onto the patio, back's sore",
        "fell probably 4 metre off the hay stack this morning, back's stiff",
    ),
    *rows(
        "legs-dead-without-a-challenge",
        "emergency",
        "both me legs have gone dead and they won't hold me up, back went this morning",
    ),
]


@pytest.mark.parametrize("text, expected", BENIGN)
def test_benign_kind_is_below_urgent(detector, text, expected):
    assert level(detector, text) == expected
    assert expected not in ALERT_LEVELS


@pytest.mark.parametrize("text, expected", REAL)
def test_own_current_case_keeps_its_level(detector, text, expected):
    assert level(detector, text) == expected


@pytest.mark.parametrize(
    "text, normalised",
    [
        ("Me dad and me mam", "my dad and my mam"),
        ("hurt me back lifting", "hurt my back lifting"),
        ("can you give me back pain relief", "can you give me back pain relief"),
        ("tell me legs stories", "tell me legs stories"),
        ("help me and me brother", "help me and my brother"),
        ("our lass is poorly", "my wife is poorly"),
        ("Our kid rang", "my brother rang"),
        ("our Sharon rang", "my sister sharon rang"),
        ("our house", "our house"),
        ("weight's fallen off us", "weight's fallen off me"),
        ("come with us", "come with us"),
    ],
)
def test_dialect_possessives_are_normalised(detector, text, normalised):
    assert detector._normaliser(text).text == normalised


def test_normalised_offsets_point_into_the_original(detector):
    text = "Our lass says me legs are numb"
    assessment = detector.assess(text)
    flag = assessment.top
    assert flag is not None
    assert "legs are numb" in text[flag.start : flag.end] or "numb" in text[flag.start : flag.end]
