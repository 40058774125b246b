"""Non-native (Russian-speaker) wording: the kinds of false alarm and miss the 2026-11-29-sb7 batch showed.

Each kind has a benign sentence the rules must leave below urgent and the
person's own current emergency in similar words, which must still fire. The
sentences are written for these tests, not copied from a batch, so they check
the kind (breathless on a habitual effort, an injury long healed, a general
question, an idiom, a symptom already over) rather than one message.
"""

from __future__ import annotations

import pytest

from tests.support.kinds import level, rows

EXACT_LEVEL = [
    # a. breathless on a named everyday effort or a seasonal trigger, said as a habit (EXERTION)
    *rows(
        "exertion",
        "none",
        "I get short of breath whenever I climb to my flat on the sixth floor, no lift in our building",
        "bit breathless hauling the groceries up to the 3rd floor every saturday",
        "a little short of breath whenever my pollen allergy starts in May",
    ),
    *rows(
        "exertion-acute",
        "emergency",
        "climbing the stairs to work I suddenly could not catch my breath and I was sweating",
        "short of breath when I climb stairs today and my chest is tight",
        "short of breath when I have my allergy, my throat and tongue are swelling",
    ),
    # b. an injury long healed, one's own or someone else's
    *rows(
        "healed-injury",
        "none",
        "fractured my spine skiing 30 years ago, it healed well, no problems since",
        "my uncle fell from a roof 10 years ago and broke his back, now he is fully healed",
    ),
    *rows("own-injury", "emergency", "I fell off a ladder this morning and I think I broke my back"),
    # c. general questions and someone else's history in non-native grammar
    *rows(
        "info-question",
        "none",
        "what happen if somebody lose feeling in both legs? only asking for knowledge",
        "how do you screen patients for blood clots before leg massage?",
        "my cousin say massage is risky with a temperature, why is that",
        "a colleague once had a DVT after a long flight, I am healthy",
    ),
    *rows("own-bladder", "emergency", "since morning I lose control of my bladder and back hurts, what happen?"),
    *rows("own-calf", "urgent", "my calf is hot, red and swollen since the long flight"),
    # d. idioms: a happy "die", sore arms after a workout
    *rows(
        "idiom",
        "none",
        "I could die of joy, the massage last week was perfect",
        "first bootcamp workout yesterday and now I can't lift my arms, so sore",
    ),
    *rows("own-self-harm", "emergency", "I want to die, nothing helps this pain anymore"),
    *rows("own-stroke", "emergency", "after my workout I suddenly can't lift my left arm and my face feels droopy"),
    # e. over by the next day, or earlier in the pregnancy
    *rows("resolved", "none", "my legs went weak after the half marathon but next day was fine"),
    *rows("own-legs", "emergency", "both my legs went weak this morning and they are still weak"),
    *rows("earlier-pregnancy", "professional", "28 weeks pregnant, had spotting early in pregnancy, now fine"),
    *rows("own-pregnancy", "emergency", "28 weeks pregnant and bleeding since this morning"),
    # misses: a stockpile, a farewell, weight loss said plainly, someone else's hot red calf
    *rows(
        "missed-signs",
        "emergency",
        "I have been collecting my tablets for the day the pain is too much",
        "do not book me again, I have decided to go away forever",
    ),
    *rows(
        "missed-signs",
        "urgent",
        "my trousers became too loose, down 6 kg and I eat normal",
        "her calf went hot and red after the hip operation",
    ),
    *rows(
        "missed-signs-benign",
        "none",
        "I collected my tablets from the pharmacy, back is better",
        "I decided to leave forever, moving to Canada with my family",
        "the doctor told me I should lose weight, can massage help",
        "a mosquito bite on my calf, hot and red around it",
    ),
]


@pytest.mark.parametrize(("text", "expected"), EXACT_LEVEL)
def test_level(detector, text, expected):
    assert level(detector, text) == expected
