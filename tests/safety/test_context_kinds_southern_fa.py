"""Southern retiree wording: the rules' false alarms of the 2026-11-29-sb8 batch, by kind.

Each kind is a general rule in content/red_flags.yml, not a copied sentence: a
recovery in everyday words ("right as rain"), breathless after a yard or house
chore said as a habit, a what-if with "ever", a clot as the risk of a trip to
come ("if I fly"), a question about a group ("a heart attack in older women"),
a body part called "a train wreck", a grandchild the writer minds, a late
(deceased) relative, and "back" as a time ("years back"), which is no mention of
the back. The sentences are written for these tests; each benign one has a
person's own current emergency in similar words that must still fire.
"""

from __future__ import annotations

import pytest

from bot.core.levels import ALERT_LEVELS


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("Caught the flu over Thanksgiving, fever and chills, but I'm right as rain now", id="recovered"),
        pytest.param("Get winded after I rake the leaves, always have. Neck is stiff", id="chore-breathless"),
        pytest.param("Is a blood clot likely if I fly to Denver for Christmas? No swelling", id="trip-risk"),
        pytest.param("If my feet ever went numb would I know it? Nothing like that now", id="what-if-ever"),
        pytest.param(
            "Can back pain be a heart attack in older women? Asking because of a magazine", id="group-question"
        ),
        pytest.param("My knees are a train wreck after the garden party, just achy", id="train-wreck-idiom"),
        pytest.param("My granddaughter's got a temperature so I'm minding her, can we move my slot", id="grandchild"),
        pytest.param("My late mother had cancer of the spine, that's why I ask. I feel fine", id="late-relative"),
        pytest.param(
            "Had a mole removed for melanoma years back, nothing bothering me, just want a facial massage",
            id="years-back-no-pain",
        ),
    ],
)
def test_benign_kind_is_below_urgent(detector, text):
    assessment = detector.assess(text)
    assert assessment.level not in ALERT_LEVELS, assessment.flags


@pytest.mark.parametrize(
    "text, expected",
    [
        pytest.param("Had a fever on Monday and I'm still not back to normal, chills tonight", "urgent", id="not-over"),
        pytest.param(
            "Got real short of breath all of a sudden while I was sitting in my chair", "emergency", id="sudden-breath"
        ),
        pytest.param("I have a blood clot in my calf and it's hot and swollen", "urgent", id="clot-now"),
        pytest.param("my calf's gone red hot and swollen after a long flight", "urgent", id="calf-after-flight"),
        pytest.param("My feet and legs went numb this morning and I can't stand", "emergency", id="legs-numb-now"),
        pytest.param(
            "I think I'm having a heart attack, my back and jaw hurt and I'm sweating", "emergency", id="own-heart"
        ),
        pytest.param("I was in a train wreck last week and my back hurts bad", "emergency", id="real-train-wreck"),
        pytest.param("I've got a fever and chills and my lower back hurts", "urgent", id="own-fever"),
        pytest.param("I had cancer years back and now my back hurts every night", "urgent", id="cancer-new-pain"),
        pytest.param("beat breast cancer two years back, since a week back pain", "urgent", id="month-back-pain"),
    ],
)
def test_own_current_emergency_still_fires(detector, text, expected):
    assessment = detector.assess(text)
    assert assessment.level == expected, assessment.flags
