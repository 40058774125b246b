"""Issue 17's new and deepened topics, end to end over REST.

Each message goes to the real running assistant in a fresh conversation. The
envelope must name the new topic (not a neighbour such as
safety.contraindications or therapist.finding), cite sources of the kinds the
fact rests on (never a clinic article: these are health claims), and the
reply must say the thing the topic was added for.
"""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.e2e

# message, topic, source kinds the answer must include, words the reply must contain
CASES = [
    (
        "Is it safe to have a massage if I have cancer?",
        "condition.cancer",
        {"charity", "health_service"},
        ["spreads cancer", "radiotherapy"],
    ),
    (
        "When can I have a massage after a spinal fusion?",
        "condition.after_surgery",
        {"health_service", "guideline"},
        ["surgeon", "healed"],
    ),
    (
        "I have high blood pressure and diabetes, is a massage ok for me?",
        "safety.health_conditions",
        {"charity", "health_service"},
        ["hot stones", "seizures"],
    ),
    (
        "Do I need an MRI scan for my back pain?",
        "evidence.imaging",
        {"guideline", "systematic_review"},
        ["scan", "harm"],
    ),
    (
        "Can I bring a chaperone with me to my massage appointment?",
        "therapist.consent",
        {"professional_body"},
        ["chaperone", "consent", "complain"],
    ),
    (
        "Can a massage in the first trimester cause a miscarriage?",
        "condition.pregnancy",
        {"study", "government"},
        ["miscarriage", "first trimester", "on your side"],
    ),
    (
        "Is there one correct posture for a healthy back?",
        "benefit.posture",
        {"systematic_review"},
        ["no single correct posture", "changing position"],
    ),
]


@pytest.mark.parametrize("message, topic, kinds, words", CASES, ids=[c[1] for c in CASES])
def test_new_topic_is_answered_with_sources_of_the_right_kind(assistant, message, topic, kinds, words):
    turn = assistant.ask(message)
    custom = turn.custom
    assert custom["topic"] == topic, (message, custom)
    # Cancer and back surgery are 'professional' flags: the answer still comes, with a note to see a GP first.
    assert custom["triage"] in ("none", "professional")
    assert custom["disclaimer"] is True
    sources = custom["sources"]
    assert sources, "a fact-base answer must cite its sources"
    assert all(s["url"] and s["url"].startswith("https://") for s in sources)
    cited = {s.get("kind") for s in sources}
    assert "clinic_article" not in cited, f"a health claim may not rest on a clinic article: {sources}"
    assert kinds <= cited, f"expected source kinds {kinds}, got {cited}"
    text = turn.text.lower()
    missing = [w for w in words if w.lower() not in text]
    assert not missing, f"reply lacks {missing}: {turn.text}"


def test_past_cancer_with_new_back_pain_is_still_triaged_not_answered(assistant):
    """The new cancer topic must not swallow the urgent red flag (SPEC section 3)."""
    custom = assistant.ask("I had cancer two years ago and now I have new back pain, can massage help?").custom
    assert custom["triage"] == "urgent"
    assert custom["topic"] == "triage.alert"
