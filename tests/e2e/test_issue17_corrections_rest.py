"""Issue 17, end to end over REST: each corrected fact answers with its corrected wording and with
sources of the right kind (never a clinic article behind a health claim), and shows its review month."""

from __future__ import annotations

import pytest

from bot.core.answers import button_payload
from bot.core.clinic import clinic
from bot.core.facts.content import SOURCE_KINDS, month_label, read_content

pytestmark = pytest.mark.e2e

# Any kind of source may back a health claim except the clinic's own articles.
HEALTH_KINDS = set(SOURCE_KINDS) - {"clinic_article"}

# The warning signs both pregnancy answers must name (the condition's adds two of its own).
PREGNANCY_WARNINGS = [
    "heavy bleeding",
    "maternity unit straight away",
    "waters breaking",
    "moving less than usual",
    "severe headache",
    "vision problems",
]


def _ask_topic(assistant, topic):
    turn = assistant.ask(button_payload(topic))
    assert turn.custom["topic"] == topic
    return turn


def _says_all(turn, phrases):
    for phrase in phrases:
        assert phrase in turn.text, phrase


def _kinds_by_url(turn):
    return {s["url"]: s.get("kind") for s in turn.custom["sources"]}


def _fact(fact_id):
    return next(f for f in read_content().facts if f.id == fact_id)


def _shows_review_month(turn, fact_id):
    assert f"Reviewed {month_label(_fact(fact_id).reviewed)}" in turn.text


@pytest.mark.parametrize(
    "topic, fact_id, must_say, source_url",
    [
        (
            "condition.pregnancy",
            "condition-pregnancy",
            [*PREGNANCY_WARNINGS, "below your ribs", "sudden swelling"],
            "https://www.nhs.uk/pregnancy/keeping-well/your-babys-movements/",
        ),
        (
            "type.prenatal",
            "type-prenatal",
            PREGNANCY_WARNINGS,
            "https://www.nhs.uk/conditions/pre-eclampsia/symptoms/",
        ),
        (
            "condition.upper_back_neck",
            "condition-upper-back-neck",
            ["high temperature", "meningitis", "dizziness, double vision, slurred speech or trouble swallowing"],
            "https://www.nhs.uk/conditions/meningitis/",
        ),
        (
            "condition.sciatica",
            "condition-sciatica",
            ["sciatica on both sides", "both legs"],
            "https://www.nhs.uk/conditions/sciatica/",
        ),
        (
            "condition.herniated_disc",
            "condition-herniated-disc",
            ["sciatica on both sides", "both legs"],
            "https://www.nhs.uk/conditions/sciatica/",
        ),
    ],
)
def test_understated_urgency_now_says_call_the_emergency_number(assistant, topic, fact_id, must_say, source_url):
    turn = _ask_topic(assistant, topic)
    assert f"emergency number ({clinic().emergency_number})" in turn.text
    _says_all(turn, must_say)
    assert "contact your midwife the same day" not in turn.text.replace("(contact your midwife or GP the same day)", "")
    assert _kinds_by_url(turn).get(source_url) == "health_service"
    assert set(_kinds_by_url(turn).values()) <= HEALTH_KINDS
    _shows_review_month(turn, fact_id)


def test_red_flag_info_has_both_legs_and_the_nhs_urgent_list(assistant):
    turn = _ask_topic(assistant, "triage.red_flags_info")
    _says_all(
        turn,
        [
            "sciatica on both sides",
            "both legs",
            "cough, sneeze or poo",
            "top of your back",
            "lump or change in",
            "emergency number",
        ],
    )
    assert _kinds_by_url(turn).get("https://www.nhs.uk/conditions/back-pain/") == "health_service"
    _shows_review_month(turn, "triage-red-flags-info")


def test_circulation_no_longer_claims_more_muscle_blood_flow(assistant):
    turn = _ask_topic(assistant, "benefit.circulation")
    assert "skin and muscles" not in turn.text
    assert "does not increase blood flow in the muscles" in turn.text
    studies = [url for url, kind in _kinds_by_url(turn).items() if kind == "study"]
    assert {
        "https://pubmed.ncbi.nlm.nih.gov/9140896/",
        "https://pubmed.ncbi.nlm.nih.gov/15292737/",
        "https://pubmed.ncbi.nlm.nih.gov/19997015/",
    } <= set(studies)
    _shows_review_month(turn, "benefit-circulation")


@pytest.mark.parametrize(
    "topic, fact_id, must_not_say",
    [
        ("benefit.stress", "benefit-stress", ["stress hormones"]),
        ("session.aftercare", "session-aftercare", ["toxins", "light-headed"]),
        ("safety.side_effects", "safety-side-effects", ["light-headed"]),
        ("safety.medications", "safety-medications", ["dull your sense of pain"]),
        ("type.shiatsu", "type-shiatsu", ["energy"]),
        ("condition.muscle_strain", "condition-muscle-strain", ["simple pain relief"]),
    ],
)
def test_unsupported_claims_are_gone(assistant, topic, fact_id, must_not_say):
    turn = _ask_topic(assistant, topic)
    for phrase in must_not_say:
        assert phrase not in turn.text.lower(), phrase
    assert turn.custom["sources"] and set(_kinds_by_url(turn).values()) <= HEALTH_KINDS
    _shows_review_month(turn, fact_id)


def test_muscle_strain_follows_nice_on_paracetamol(assistant):
    turn = _ask_topic(assistant, "condition.muscle_strain")
    assert "paracetamol on its own" in turn.text
    assert _kinds_by_url(turn).get("https://www.nice.org.uk/guidance/ng59") == "guideline"


def test_cost_and_insurance_no_longer_cites_ng59(assistant):
    turn = _ask_topic(assistant, "practical.cost_insurance")
    urls = _kinds_by_url(turn)
    assert "https://www.nice.org.uk/guidance/ng59" not in urls
    assert "cash plan" in turn.text
    assert "clinic_article" not in urls.values()


def test_contraindications_name_skin_illness_radiotherapy_and_reassure_about_cancer(assistant):
    turn = _ask_topic(assistant, "safety.contraindications")
    _says_all(turn, ["infected skin", "rashes", "feel unwell", "radiotherapy", "Cancer doesn't rule massage out"])
    assert (
        _kinds_by_url(turn).get(
            "https://www.macmillan.org.uk/cancer-information-and-support/treatment/coping-with-treatment/"
            "complementary-therapies/massage-or-other-touch-therapies"
        )
        == "charity"
    )
    _shows_review_month(turn, "safety-contraindications")


def test_no_health_answer_cites_a_clinic_article(assistant):
    content = read_content()
    health_topics = sorted({f.topic for f in content.facts if f.claim == "health" and f.region is None})
    for topic in health_topics:
        kinds = set(_kinds_by_url(_ask_topic(assistant, topic)).values())
        assert "clinic_article" not in kinds, topic
        assert None not in kinds, topic
