"""The ConText modifier kinds that keep everyday and second-hand wording from raising an alarm.

Each kind has a sentence it drops, a sentence it must leave alone, and a
current emergency of the person's own with the same words, which still fires.
"""
from __future__ import annotations

import pytest


def level(detector, text: str) -> str:
    return detector.assess(text).level


def dropped_by(detector, text: str) -> set:
    return {d.reason.split(":")[0] for d in detector.assess(text).dropped}


# ------------------------------------------------------------- RESOLVED: over, said after it


def test_resolved_reaches_across_but_now(detector):
    text = "I had a temperature on Saturday with a cold but now I'm recovered totally"
    assert level(detector, text) == "none"
    assert "RESOLVED" in dropped_by(detector, text)


def test_resolved_is_not_a_recent_fever_on_its_own(detector):
    assert level(detector, "I had a temperature on Saturday with a cold") == "urgent"


def test_resolved_does_not_reach_a_symptom_that_is_still_there(detector):
    assert level(detector, "I had a temperature on Saturday, recovered, but it's back again today") == "urgent"


# ------------------------------------------------------------- OTHER_PERSON_OK: someone else's event, over or in care


def test_someone_elses_crash_in_care_is_no_alarm(detector):
    text = "can't come on Monday, my brother had a motorbike crash and he's in hospital"
    assert level(detector, text) == "none"
    assert "OTHER_PERSON_OK" in dropped_by(detector, text)


def test_someone_elses_crash_without_care_still_fires(detector):
    assert level(detector, "can't come on Monday, my brother had a motorbike crash this morning") == "emergency"


def test_reported_fine_is_not_known_fine(detector):
    assert level(detector, "my brother had a motorbike crash and says he's fine") == "emergency"


def test_other_person_ok_never_drops_a_neurological_sign(detector):
    assert level(detector, "my brother can't feel his legs, he's in hospital") == "emergency"


def test_own_crash_still_fires(detector):
    assert level(detector, "I had a motorbike crash an hour ago and my back hurts") == "emergency"


# ------------------------------------------------------------- FAMILY: the reason for a cancellation


@pytest.mark.parametrize(
    "text",
    [
        "sorry, have to cancel Friday, my daughter has a temperature and I need to stay with her",
        "nursery rang, little one has a fever so I have to go and get her",
    ],
)
def test_a_childs_fever_behind_a_cancellation_is_no_alarm(detector, text):
    assert level(detector, text) == "none"


def test_own_fever_behind_a_cancellation_still_counts(detector):
    assert level(detector, "sorry, have to cancel Friday, I have a temperature and my back is agony") == "urgent"


def test_a_childs_fever_with_back_pain_still_counts(detector):
    assert level(detector, "my daughter has a temperature and her back hurts") == "urgent"


# ------------------------------------------------------------- EARLIER: a stage of the pregnancy that is over


def test_bleeding_earlier_in_pregnancy_is_a_complication_not_a_warning(detector):
    text = "I'm 26 weeks pregnant, had a little bleeding early on, now all fine on the scans"
    assert level(detector, text) == "professional"
    assert "EARLIER" in dropped_by(detector, text)


def test_current_bleeding_in_pregnancy_stays_an_emergency(detector):
    assert level(detector, "I'm 26 weeks pregnant and bleeding now") == "emergency"
    assert level(detector, "I'm 26 weeks pregnant, had a little bleeding early on and it started again today") == "emergency"


# ------------------------------------------------------------- long ago: trauma months ago is history


def test_trauma_months_ago_is_history(detector):
    assert level(detector, "I came off my motorbike four months ago, my shoulders are tight") != "emergency"


def test_trauma_last_week_still_fires(detector):
    assert level(detector, "I came off my motorbike last week, my shoulders are tight") == "emergency"


# ------------------------------------------------------------- FIGURATIVE and BENIGN_CONTEXT


def test_named_joke_drops_a_leg_flag(detector):
    assert level(detector, "my legs are like jelly after leg day") == "none"


def test_own_weak_legs_still_fire(detector):
    assert level(detector, "my legs went weak and I can't stand up") == "emergency"


def test_a_witnessed_accident_is_no_alarm(detector):
    assert level(detector, "I helped at a car crash on the way home and now my neck is tense from the stress") != "emergency"


def test_hypothetical_second_person_is_a_question(detector):
    assessment = detector.assess("if you had numbness down there would that mean hospital?")
    assert assessment.level == "none" and assessment.info_question


def test_own_numbness_down_there_still_fires(detector):
    assert level(detector, "I have numbness down there, would that mean hospital?") == "emergency"


# ------------------------------------------------------------- LONGSTANDING: known and unchanged


def test_a_condition_unchanged_for_years_is_no_new_loss(detector):
    text = "my brother can't walk, he has had spina bifida since birth"
    assert level(detector, text) != "emergency"
    assert "LONGSTANDING" in dropped_by(detector, text)


def test_a_new_change_in_a_known_condition_still_fires(detector):
    assert level(detector, "my brother can't walk since this morning") == "emergency"


# ------------------------------------------------------------- everyday reasons must be named


def test_breathless_with_unfitness_named_is_no_alarm(detector):
    assert level(detector, "I'm so unfit I get breathless on the dash for the school gate") != "emergency"


def test_breathless_without_a_reason_still_fires(detector):
    assert level(detector, "I couldn't get my breath sitting on the sofa tonight") == "emergency"


def test_hearing_aids_are_not_aids(detector):
    assert level(detector, "can I keep my hearing aids in during the massage?") == "none"
    assert level(detector, "I have AIDS and my back hurts") == "urgent"


# ------------------------------------------------------------- a recovery denied, a third person in trouble now


@pytest.mark.parametrize(
    "text",
    [
        "I've got a temperature that hasn't settled",
        "the tingling in both legs has not gone away",
        "my legs went numb on the walk and they haven't gone back to normal",
    ],
)
def test_a_denied_recovery_is_no_recovery(detector, text):
    assert level(detector, text) in ("urgent", "emergency")


def test_someone_else_in_trouble_right_now_is_not_in_care(detector):
    assert level(detector, "my sister has chest pain right now, she's lying down") == "emergency"
    assert level(detector, "my sister has chest pain right now, she's in bed") == "emergency"


@pytest.mark.parametrize(
    "text",
    [
        "my uncle fell off the garage roof, he's ok but he can't get up",
        "my uncle fell off the garage roof, he's fine but very pale",
        "my uncle fell off the garage roof, he's fine he says",
    ],
)
def test_in_care_does_not_outweigh_a_sign_that_it_goes_on(detector, text):
    assert level(detector, text) == "emergency"


def test_i_mean_it_is_no_joke(detector):
    assert level(detector, "I want to end my life, I mean it") == "emergency"
