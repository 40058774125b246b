"""The red-flag detector: modifiers, typos, idioms, persons, levels, and the labelled set."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.safety import ALERT_LEVELS, LEVELS, highest, rank
from bot.safety.detector import Assessment, Flag
from bot.safety.evaluate import NOTES, Outcome, load_labelled, summarise

from .dev_cases import DEV_CASES


def level(detector, text: str) -> str:
    return detector.assess(text).level


@pytest.mark.parametrize("text,expected,kind", DEV_CASES, ids=[f"{k}:{t[:40]}" for t, _, k in DEV_CASES])
def test_dev_cases(detector, text, expected, kind):
    assessment = detector.assess(text)
    assert assessment.level == expected, (text, assessment)


# ----------------------------------------------------------------- each modifier kind


def test_negation_drops_a_flag(detector):
    assert level(detector, "I have numbness down there") == "emergency"
    assert level(detector, "I have no numbness down there") == "none"
    assert level(detector, "I'm not numb down there") == "none"
    assert level(detector, "I can still control my bladder") == "none"
    dropped = detector.assess("no numbness down there").dropped
    assert dropped and dropped[0].id == "saddle_numbness" and dropped[0].reason.startswith("NEGATED_EXISTENCE")


def test_negation_stays_inside_its_clause(detector):
    assert level(detector, "no fever but I can't pee") == "emergency"
    assert level(detector, "no fever, I can't pee") == "emergency"
    assert level(detector, "No, I can't feel my legs") == "emergency"
    assert level(detector, "I don't have a fever and I can't pee") == "emergency"


def test_negation_inside_the_flag_phrase_is_not_a_negation(detector):
    # "can't", "no feeling", "don't want to live" are the symptom, not a denial
    assert level(detector, "I can't feel my legs") == "emergency"
    assert level(detector, "there's no feeling down there") == "emergency"
    assert level(detector, "I don't want to live anymore") == "emergency"
    assert level(detector, "I cannot feel my legs or my bum") == "emergency"


def test_history_that_is_over_drops_a_flag(detector):
    assert level(detector, "I had a fever last month, it's gone") == "none"
    assert level(detector, "had a fever last week, gone now") == "none"
    assert level(detector, "I had a fever last week") == "urgent"  # recent: still counts


def test_history_that_is_back_or_still_there_counts(detector):
    assert level(detector, "I had a fever last month but it's back now") == "urgent"
    assert level(detector, "I had numbness down there last year and it's still there") == "emergency"
    assert level(detector, "I used to have sciatica but now I have numbness down there") == "emergency"


def test_past_events_that_are_the_red_flag_keep_counting(detector):
    assert level(detector, "I had cancer ten years ago and now my back hurts") == "urgent"
    assert level(detector, "I fell off a ladder last month and my back still hurts") == "emergency"
    assert level(detector, "I fell off a ladder as a kid") == "none"  # long ago


def test_hypotheticals_and_info_questions_drop_and_mark_info(detector):
    for text in ("what if I lose bladder control?", "what are the warning signs?", "what is cauda equina?"):
        assessment = detector.assess(text)
        assert assessment.level == "none", text
        assert assessment.info_question, text
    assert detector.assess("when should I see a doctor?").info_question
    assert detector.assess("what are red flags for back pain?") == Assessment(
        level="none", flags=(), info_question=True
    )


def test_plain_if_is_not_a_hypothetical(detector):
    # safety beats convenience: this is probably the person's own situation
    assert level(detector, "Should I go to A&E if I can't feel my legs?") == "emergency"


def test_a_report_is_not_an_info_question(detector):
    assessment = detector.assess("I can't pee")
    assert not assessment.info_question
    assert not detector.assess("can I book a massage?").info_question


def test_uncertainty_never_drops_a_flag(detector):
    assert level(detector, "I think I might be numb down there") == "emergency"
    assert level(detector, "maybe a fever?") == "urgent"
    assert level(detector, "not sure if I peed myself") == "emergency"


def test_third_persons_who_are_present_count(detector):
    assessment = detector.assess("my dad can't feel his legs")
    assert assessment.level == "emergency"
    assert assessment.top.group == "cauda_equina"
    assert level(detector, "my friend says she wants to kill herself") == "emergency"


def test_family_history_does_not_count(detector):
    assert level(detector, "my mum had cancer") == "none"
    assert level(detector, "my mum had breast cancer and now her back hurts") == "urgent"  # her own history
    assert level(detector, "osteoporosis runs in the family") == "none"


def test_typos_and_casual_words(detector):
    for text in (
        "cant pee",
        "can't wee",
        "numb down there",
        "pins and needles in both legs",
        "peed myself",
        "legs gave way",
        "want to end it all",
        "kill myself",
        "tingly bum",
        "lost control of my bowels",
    ):
        assert level(detector, text) == "emergency", text


def test_idioms_do_not_fire(detector):
    for text in (
        "this form is killing me",
        "my boss is a pain in the back",
        "dying to try hot stone",
        "I'm dead tired",
        "my back is killing me",
        "hay fever season",
        "I fell asleep during the massage",
    ):
        assert level(detector, text) == "none", text


def test_curly_quotes_and_case(detector):
    assert level(detector, "I CAN\u2019T FEEL MY LEGS") == "emergency"


# ----------------------------------------------------------------- levels and the API


def test_level_ordering():
    assert LEVELS == ("none", "professional", "urgent", "emergency")
    assert [rank(x) for x in LEVELS] == [0, 1, 2, 3]
    assert highest(["professional", "emergency", "urgent"]) == "emergency"
    assert highest([]) == "none"
    assert set(ALERT_LEVELS) == {"urgent", "emergency"}


def test_the_highest_flag_sets_the_level(detector):
    assessment = detector.assess("I'm on warfarin, I have a fever and I can't feel my legs")
    assert assessment.level == "emergency"
    assert [f.level for f in assessment.flags] == sorted((f.level for f in assessment.flags), key=rank, reverse=True)
    assert {f.id for f in assessment.flags} >= {"blood_thinners", "fever_chills", "bilateral_leg_symptoms"}
    assert assessment.top.id == "bilateral_leg_symptoms"


def test_flag_is_a_frozen_dataclass_with_the_agreed_fields(detector):
    flag = detector.assess("I have a fever").flags[0]
    assert isinstance(flag, Flag)
    assert (flag.id, flag.group, flag.level, flag.text) == ("fever_chills", "infection", "urgent", "fever")
    with pytest.raises(dataclasses.FrozenInstanceError):
        flag.level = "none"  # type: ignore[misc]
    text = "Honestly I CAN'T pee"
    flag = detector.assess(text).flags[0]
    assert text[flag.start : flag.end] == flag.text == "CAN'T pee"


def test_requires_a_companion(detector):
    assert level(detector, "I had a fall") == "none"
    assert level(detector, "I'm 81 and I had a fall") == "urgent"
    assert level(detector, "I had breast cancer") == "professional"  # no pain mentioned
    assert level(detector, "I had breast cancer and my back aches") == "urgent"


def test_empty_and_odd_input(detector):
    for text in ("", "   ", "?!", "\n\n", "a" * 5000, "\u00e9\u00e8 \u0130stanbul"):
        assert detector.assess(text).level in LEVELS


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=200))
def test_any_text_gives_a_consistent_assessment(detector, text):
    assessment = detector.assess(text)
    assert assessment.level in LEVELS
    assert assessment.level == highest(f.level for f in assessment.flags)
    for flag in assessment.flags:
        assert flag.level in LEVELS[1:]
        assert 0 <= flag.start < flag.end <= len(text)


WORDS = [
    "no",
    "not",
    "my",
    "legs",
    "numb",
    "can't",
    "pee",
    "fever",
    "mum",
    "had",
    "cancer",
    "what",
    "if",
    "back",
    "pain",
    "down",
    "there",
    "both",
    "last",
    "month",
    "gone",
    "i",
    "think",
    ",",
    "and",
    "but",
]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(WORDS), max_size=14))
def test_adding_an_uncertainty_prefix_never_lowers_the_level(detector, words):
    text = " ".join(words)
    base = detector.assess(text).level
    assert rank(detector.assess("I think " + text).level) >= rank(base) or "no" in words or "not" in words


# ----------------------------------------------------------------- the labelled set


def test_labelled_set_is_big_and_covers_every_flag_and_note(detector):
    examples = load_labelled()
    assert len(examples) >= 220
    notes = {e.note for e in examples}
    assert notes >= set(NOTES)
    fired = set()
    for example in examples:
        fired.update(f.id for f in detector.assess(example.text).flags)
    missing = {f.id for f in detector.lexicon.flags} - fired
    assert not missing, f"flags never exercised by the labelled set: {sorted(missing)}"


def test_labelled_set_recall_and_false_alarms(detector):
    examples = load_labelled()
    outcomes = [Outcome(e, detector.assess(e.text).level) for e in examples]
    result = summarise(outcomes)
    misses = [(m["expected"], m["predicted"], m["text"]) for m in result["misses"] if m["expected"] in ALERT_LEVELS]
    assert result["recall"]["emergency"] == 1.0, misses
    assert result["recall"]["urgent"] == 1.0, misses
    assert result["false_alarm_rate"] <= 0.05, result["false_alarms"]
