"""Greek speakers writing English: the rules' false alarms and the miss of the 2026-11-30-sb14 batch, by kind.

Each kind below is a general rule in content/red_flags.yml, not a copied sentence:
someone else's event (a crash, a fall and a broken hip, chest pains, a seizure) with
that person already in care ("in hospital now", "in surgery", "stable", "was taken to
A&E", "I'm going to the hospital to see him"), any relation, as the reason to cancel
(OTHER_PERSON_OK); a what-if for some day to come ("if one day...") across flags,
and one for the day of the appointment; a friend's hearsay "told me something about..."
as a general question; a what-if about the massage itself ("if I get chest pain during
the massage"); an old problem the physio or a treatment fixed; pain that "doesn't
improve with rest" without any night (pain not improving is professional, SPEC section
3, while night pain that rest does not ease stays urgent); and an adult who woke up wet
in the bed with a back problem (new loss of bladder control). The sentences are written
for these tests; each kind has a case that must keep its level: the person not yet in
care, the writer's own flag in the same message, a what-if with a time of now, hearsay
about "my" legs, a problem that came back.
"""

from __future__ import annotations

import pytest

from bot.core.levels import ALERT_LEVELS
from tests.support.kinds import level, rows

BENIGN = [
    *rows(
        "other-person-in-care",
        "none",
        "please cancel Thursday, my uncle had a bad car crash and he is in hospital now",
        "I must move my booking, my grandmother fell and broke her hip, she's in surgery this afternoon",
        "sorry, can't come tomorrow, my father-in-law had chest pains in the night, he is stable now",
        "my colleague was in a motorbike accident and was taken to A&E, I am going to the hospital to see him",
        "need to reschedule, my neighbour collapsed in the street, the ambulance took her to hospital",
        "my partner crashed his bike this morning, I'm going to the hospital to be with him, can we change to Monday?",
        "my friend had a seizure at work, she is in hospital, I can't make it today",
    ),
    *rows(
        "what-if-one-day",
        "none",
        "if one day my legs go numb, I should call an ambulance, yes?",
        "if some day my husband gets chest pain while on the table, what does your therapist do?",
        "if one day I can't control my bowels, is that A&E or the GP?",
    ),
    *rows(
        "what-if-appointment-day",
        "none",
        "if I have a temperature on the day of my massage, can I move it for free?",
        "if my daughter has fever on the morning of the session, can she come another day?",
    ),
    *rows(
        "what-if-during-the-massage",
        "none",
        "if I get chest pain during the massage, is there someone trained in first aid?",
        "if both legs go numb after a massage, is that normal or not?",
    ),
    *rows(
        "hearsay-topic",
        "none",
        "What are the danger signs with a bad back? My cousin said something about numbness in the saddle area.",
        "My neighbour told me things about losing bladder control with back pain, is that real?",
    ),
    *rows(
        "fixed-by-treatment",
        "none",
        "after my second baby I had bladder problems for a while but the physio fixed it, now I want a massage",
        "I had some leaking after the birth, pelvic floor exercises sorted it, my son is 3 now",
    ),
]

PROFESSIONAL = [
    *rows(
        "pain-not-improving-no-night",
        "professional",
        "my lower back hurts since October, now it's February, it does not improve with rest or painkillers",
        "back pain for 3 months, doesn't improve with rest, can massage help?",
    ),
]

REAL = [
    *rows(
        "other-person-not-in-care",
        "emergency",
        "my mum fell down the stairs and can't feel her legs, what should I do?",
        "my cousin was in a car crash and now his back hurts and he can't move his legs",
        "my husband crashed the car this morning, he refused to go to hospital and now his back is worse",
    ),
    *rows(
        "writer-own-flag-beside-relative-in-care",
        "emergency",
        "my dad is in hospital with chest pain and I have chest pain too",
        "My sister is in hospital after a fall, and I have crushing chest pain right now.",
        "my brother had a crash, he is in hospital, and I've got chest pain since this morning",
    ),
    *rows(
        "what-if-with-now",
        "emergency",
        "I can't feel my legs since this morning, if one day it happens again what do I do?",
    ),
    *rows(
        "what-if-with-now-urgent",
        "urgent",
        "if I have fever since yesterday and back pain, can I still come?",
        "I have a fever and back pain, can I still come to my appointment tomorrow?",
    ),
    *rows(
        "massage-what-if-with-a-past-day",
        "emergency",
        "if my legs went numb after the massage yesterday, what should I do?",
        "if my legs went numb after the massage on Sunday, who do I call?",
    ),
    *rows(
        "hearsay-about-my-own",
        "emergency",
        "my friend told me something about my legs, and I can't feel my legs since this morning",
        "my friend told me to write, I have numbness down there since yesterday",
    ),
    *rows(
        "problem-came-back",
        "emergency",
        "I had bladder problems and the physio fixed it, but since yesterday I can't control my bladder again",
        "I have bladder problems and nothing fixed it, my back is very painful",
    ),
    *rows(
        "night-pain-rest-no-ease",
        "urgent",
        "the pain at night is awful and it doesnt get better with rest at all",
        "my back is terrible at night and doesn't improve when I lie down",
        "the pain is so bad I can't lie down in any position",
    ),
    *rows(
        "adult-woke-up-wet",
        "emergency",
        "my husband woke up wet in the bed, he is 45 and his back went on Saturday",
        "I woke up wet this morning and did not feel it, my back hurts a lot",
    ),
    *rows(
        "night-sweats-not-wet-bed",
        "urgent",
        "I woke up wet with sweat and shivering, my lower back hurts",
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
