"""Foot drop and worsening weakness in words the lexicon's phrases do not list.

NICE NG59 and CKS: weakness that is getting worse, or a foot that will not lift,
needs a doctor today. People rarely say "foot drop"; they say what the foot
does. These sentences were written for this test, not taken from a corpus, and
each benign row uses the same words about stretching, exercise or furniture.
"""

from __future__ import annotations

import pytest

from bot.core.levels import ALERT_LEVELS


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("can't get the front of my right foot to lift since Monday, back's been bad", id="front-of-foot"),
        pytest.param("my left foot just doesnt come up when I step, keep catching it on the kerb", id="wont-come-up"),
        pytest.param("big toe won't lift on the left, lower back pain for a week", id="big-toe"),
        pytest.param("my foot has started flopping down when i walk", id="flopping-started"),
        pytest.param("keep tripping on my own foot since the sciatica got worse", id="tripping-on"),
        pytest.param("inability to dorsiflex L ankle since yesterday, LBP", id="jargon-dorsiflex"),
        pytest.param("my leg is losing more strength every day, stairs are hard now", id="strength-each-day"),
        pytest.param("the numbness in my calf is creeping up more each day", id="numbness-spreading"),
    ],
)
def test_a_foot_that_will_not_lift_or_weakness_that_grows_is_urgent(detector, text):
    assert detector.assess(text).level in ALERT_LEVELS, detector.assess(text).flags


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(
            "in yoga my toes won't lift off the mat in that pose, is massage good for flexibility?", id="yoga-pose"
        ),
        pytest.param("my feet don't reach the floor on the massage table, is there a footrest?", id="furniture"),
        pytest.param("does deep tissue help with tight calves from running?", id="running-calves"),
        pytest.param("my foot doesn't drop or drag, just a dull ache in the low back", id="denied"),
    ],
)
def test_everyday_words_about_feet_and_legs_stay_below_urgent(detector, text):
    assert detector.assess(text).level not in ALERT_LEVELS, detector.assess(text).flags
