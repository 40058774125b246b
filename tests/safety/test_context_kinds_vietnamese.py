"""Vietnamese speakers writing English: the rules' false alarms and misses of the 2026-11-30-sb13 batch, by kind.

Each kind below is a general rule in content/red_flags.yml, not a copied sentence:
a car that flipped over on the motorway (base form "flip over") and a horse that threw
the rider off in any tense, or a hard landing said after the back ("land on my back
hard"), stay back pain after major trauma however well the person walked away;
pregnancy bleeding "earlier/before, now ok" (settled), a symptom "when pregnant" with
the child born since, weight lost "but because" of a diet or the gym, a fever over with
"now I feel ok" or "temperature normal", "what sign of" as a general question, a
present-tense what-if about losing bladder control or about a fall before coming to the
clinic, tired legs after a long walk, hike, run or a night of dancing, someone else in
labour as the reason to cancel, and an old, healed fracture with its metal plate. The
sentences are written for these tests; each kind has a person's own current case in
similar words that must keep its level.
"""

from __future__ import annotations

import pytest

from bot.core.levels import ALERT_LEVELS
from tests.support.kinds import level, rows

BENIGN = [
    *rows(
        "pregnancy-then-child",
        "none",
        "my legs was numb when pregnant, now my daughter is 2 year and it all gone, postnatal massage ok?",
        "both legs got tingly during my pregnancy, my boy is 6 months now, no problem now",
        "I had pins and needles in both legs when I was pregnant, can I book a back massage?",
    ),
    *rows(
        "weight-on-purpose-after-but",
        "none",
        "yes I lost 4 kg, but it's because I do keto, my back is ok",
        "lost weight but from the gym and running, can I book sports massage",
        "dropped some weight, but because of my diet, nothing else",
    ),
    *rows(
        "fever-over-now",
        "none",
        "had a temperature on the weekend, now Wednesday I feel fine, can I keep my booking",
        "fever on Tuesday but today feeling good, temp normal, massage tomorrow still ok?",
        "my fever was last Sunday, temperature is back to normal now",
    ),
    *rows(
        "what-sign-of",
        "none",
        "what sign of blood clot in leg? my husband drive long distance for work",
        "which signs of DVT in the calf should people look for after a long flight?",
        "what is sign of a clot in leg, my mum go to Vietnam next month on plane",
    ),
    *rows(
        "what-if-bladder",
        "none",
        "if my grandma lose control of her bladder one day, is that hospital or GP?",
        "if my husband loses control of his bowel, who should we phone?",
        "if I lose control of my bladder, should I ring 999?",
    ),
    *rows(
        "what-if-fall-then-come",
        "none",
        "if I fall off the roof at work, can I still book massage after?",
        "if my brother fall from scaffold (he is roofer), could he still have a massage?",
    ),
    *rows(
        "legs-dead-after-long-effort",
        "none",
        "my legs are dead after a 15 km walk yesterday, need a massage",
        "legs feel like jelly after the charity hike, book sports massage please",
        "legs dead after dancing the whole night at my cousin wedding",
        "both legs dead after running 10 miles",
    ),
    *rows(
        "someone-else-in-labour",
        "none",
        "sorry need cancel today, my sister in labour now, I go hospital with her",
        "please cancel my 3pm, my wife baby come early, she in labour",
    ),
    *rows(
        "old-fracture",
        "none",
        "I have metal plate in my wrist from old fracture, is hand massage ok?",
        "old fracture of my ankle, healed many years, can you massage my legs?",
        "there are plates and screws in my leg from a fracture, can I still have a leg massage?",
    ),
]

PROFESSIONAL = [
    *rows(
        "pregnancy-bleeding-settled",
        "professional",
        "I'm 24 weeks pregnant, had bit of bleeding before, now fine, can I have massage?",
        "pregnant 16 weeks, some bleeding earlier but now stopped, is pregnancy massage ok?",
        "pregnant 30 week, spotting earlier and now ok, massage allowed?",
    ),
]

REAL = [
    *rows(
        "pregnancy-bleeding-now",
        "emergency",
        "I am 20 weeks pregnant and bleeding now",
        "pregnant 22 weeks, started bleeding earlier today",
        "pregnant, had bleeding earlier and still bleeding",
        "pregnant 18 weeks, bleeding earlier, now worse",
    ),
    *rows(
        "legs-numb-now-pregnant",
        "emergency",
        "both legs numb since this morning, I am pregnant 30 weeks",
        "I'm pregnant and both my legs are numb now",
    ),
    *rows(
        "weight-not-on-purpose",
        "urgent",
        "lost weight but not on purpose, and back pain at night",
        "I lost 7 kg without trying and my back hurts",
    ),
    *rows(
        "fever-still",
        "urgent",
        "had fever on Monday, now still fever and back pain",
        "fever since Monday with back pain, temperature not normal",
    ),
    *rows(
        "clot-own-calf",
        "urgent",
        "what sign of DVT? my calf is hot and swollen since yesterday",
        "my calf is hot and swollen, is it DVT?",
    ),
    *rows(
        "bladder-report",
        "emergency",
        "my dad lose control of bladder since yesterday, should I call 999 or GP?",
        "if my dad lost control of his bladder today what do I do",
        "my mum lose control of her bladder this morning, who should I call?",
    ),
    *rows(
        "fall-report",
        "emergency",
        "if I fall from ladder yesterday can I still come?",
        "yesterday I fall from the roof at work, can I still come for massage?",
    ),
    *rows(
        "legs-dead-and-numb",
        "emergency",
        "both legs went dead and I can't feel them",
        "both legs went dead after my walk and I can't feel them",
    ),
    *rows(
        "car-flip-walked-away",
        "emergency",
        "car flip over on the highway last week, I walk away fine but my back get worse",
        "our car rolled over on the motorway 5 days ago, I walked away ok but now my back is worse",
        "my car flipped on the motorway on Sunday, walked out fine, lower back pain getting worse",
    ),
    *rows(
        "horse-threw-me",
        "emergency",
        "the horse throw me off yesterday, I land on my back hard. I can still walk, massage ok?",
        "my pony bucked me off on Saturday and my back hurts, but I can walk",
        "I fell off my horse and landed hard on my back, still walking ok",
    ),
    *rows("new-fracture", "urgent", "I think I have a fracture in my back after I slipped"),
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
