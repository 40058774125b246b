"""Australian and British wording: the kinds of false alarm and miss the 2026-11-29-sb6 batch showed.

Each kind has a benign sentence the rules must leave below urgent and the
person's own current emergency in similar words, which must still fire. The
sentences are written for these tests, not copied from a batch, so they check
the kind (someone else's story, an idiom, a what-if, "me" for "my"...) rather
than one message.
"""

from __future__ import annotations

import pytest

from tests.support.kinds import level, rows

EXACT_LEVEL = [
    # asking on someone's behalf, or worried about a person: a present third person, flagged
    *rows(
        "on-behalf",
        "emergency",
        "numb down there since this morning and cant pee, asking for a mate",
        "he can't wee since yesterday and his back is agony, asking for a friend",
        "worried about a bloke who cant feel his legs since he fell off the roof today",
    ),
    *rows(
        "asked-for-a-course",
        "none",
        "what should you do if someone's back goes and they cant feel down there? asking for the first aid course",
    ),
    # a. someone else's past event, named without "my" or with Australian words
    *rows(
        "someone-elses-history",
        "none",
        "sister had bowel cancer back in 2015, all good now. just need a remedial for me neck",
        "me mum had breast cancer years back, i need me shoulders done",
        "read about a woman who lost control of her bladder after a disc went, made me nervous. mine's just stiff",
        "little fella's come down with a fever and daycare rang, gotta move me thursday",
    ),
    *rows("own-history", "urgent", "i had bowel cancer in 2015 and now this new back pain wont shift"),
    *rows("own-event", "emergency", "i lost control of me bladder this morning and me back's killing me"),
    # b. idioms and other senses
    *rows(
        "idiom",
        "none",
        "felt like i'd been run over by a truck after moving the couch all day",
        "the cat got hit by a car this morning so i need to cancel",
        "you'll give the boss a heart attack if you turn up early",
        "mental health and suicide awareness week at the depot, had a good yarn. book me in friday?",
    ),
    *rows(
        "idiom-own",
        "emergency",
        "got hit by a car on the bike this morning, back's killing me",
        "i think im having a heart attack, pain down me arm",
        "i've been feeling suicidal since the injury",
        "the dog ran out and i got hit by a car, back's wrecked",
    ),
    # c. a what-if with the general "you" or "they" past "and"
    *rows("what-if", "none", "what would happen if someone's back gave out and they couldn't feel their bum"),
    *rows("what-if-own", "emergency", "i cant feel me bum or me privates since i lifted that slab"),
    # d. kept up at night by someone or something else
    *rows("kept-up", "none", "the dog kept me awake all night barking", "the twins kept us up all night again"),
    *rows("night-pain-own", "urgent", "my back pain kept me up all night, nothing helps"),
    # e. "me" for "my"
    *rows(
        "me-as-my",
        "emergency",
        "me privates have gone numb since this morning and me back is agony",
        "me legs are weak and i can barely stand",
    ),
    *rows("me-as-my-denied", "none", "me legs aren't weak, just a sore back"),
    # f. indirect suicidal wording
    *rows(
        "indirect-suicidal",
        "emergency",
        "thinking i'll check out for good after this week, no point",
        "i've got a noose set up in the garage",
        "took the whole box of me endone tonight, dont care anymore",
        "if the physio doesnt help i'll end it",
    ),
    *rows(
        "indirect-suicidal-benign",
        "none",
        "grabbed the rope from the shed to tie down the trailer load",
        "planning to check out the new gym down the road",
        "if the stretching doesnt help my back ill book a massage",
    ),
    # g. penetrating injury
    *rows("impaled", "emergency", "a piece of rebar went into me lower back when i fell, still sticking out"),
    *rows("impaled-benign", "none", "stepped on a nail at work, went through me boot"),
    # h. fever said as a temperature that comes and goes
    *rows("fever", "urgent", "me temp keeps spiking and me back is aching like mad"),
    *rows("fever-benign", "none", "broke out in a sweat at the gym, back's fine"),
]


@pytest.mark.parametrize(("text", "expected"), EXACT_LEVEL)
def test_level(detector, text, expected):
    assert level(detector, text) == expected


def test_fusion_screws_are_not_an_impalement(detector):
    assessment = detector.assess("i've got screws in me back from the fusion and they feel stuck")
    assert "major_trauma" not in {flag.id for flag in assessment.flags}
