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
    assert (
        level(detector, "I'm 26 weeks pregnant, had a little bleeding early on and it started again today")
        == "emergency"
    )


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
    assert (
        level(detector, "I helped at a car crash on the way home and now my neck is tense from the stress")
        != "emergency"
    )


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


# ------------------------------------------------------------- a denial said after the symptom


def test_absence_said_after_the_symptom_is_a_negation(detector):
    text = "temperature is not there, shivering also not there, just a stiff lower back"
    assert level(detector, text) == "none"
    assert "NEGATED_EXISTENCE" in dropped_by(detector, text)


def test_absence_after_does_not_cover_a_symptom_that_is_there(detector):
    assert level(detector, "fever is there since yesterday, chills not there, back hurts") == "urgent"


def test_a_generic_we_is_a_hypothetical(detector):
    text = "my cousin says massage is bad if we have fever, is that right? I don't have fever"
    assert level(detector, text) == "none"
    assert level(detector, "I have fever and my back hurts") == "urgent"


# ------------------------------------------------------------- someone else, now fine or admitted


def test_someone_elses_fever_now_fine_is_no_alarm(detector):
    text = "My sister had a temperature on Monday, now she is fine, can she book with me?"
    assert level(detector, text) == "none"
    assert "OTHER_PERSON_OK" in dropped_by(detector, text)


def test_someone_elses_fever_still_going_on_counts(detector):
    assert level(detector, "My sister had a temperature on Monday, now she is shivering and her back hurts") == "urgent"


def test_a_relative_admitted_to_hospital_is_already_in_care(detector):
    text = "so sorry, need to move my slot, my mother is admitted with chest pain and I am going to her"
    assert level(detector, text) == "none"
    assert "OTHER_PERSON_OK" in dropped_by(detector, text)


def test_a_relatives_chest_pain_right_now_still_fires(detector):
    assert level(detector, "my mother has chest pain and she is sweating") == "emergency"


def test_a_sick_child_behind_a_cancellation_without_my_or_is(detector):
    assert level(detector, "sorry cant make it, son not well, temperature since evening") == "none"
    assert level(detector, "sorry cant make it, I have a temperature since evening and my back aches") == "urgent"


# ------------------------------------------------------------- checked and cleared; long ago in other words


def test_a_chest_checked_and_cleared_is_no_alarm(detector):
    text = "I had chest pain in April, the cardiologist did every test, everything normal, he cleared me"
    assert level(detector, text) == "none"
    assert "CLEARED" in dropped_by(detector, text)


@pytest.mark.parametrize(
    "text",
    [
        "I have chest pain since this morning, my ecg last year was normal",
        "chest pain again today, all tests normal in June",
        "I had chest pain an hour ago, everything normal?",
    ],
)
def test_a_clearance_does_not_cover_chest_pain_now(detector, text):
    assert level(detector, text) == "emergency"


def test_a_life_stage_and_long_back_are_long_ago(detector):
    assert level(detector, "I came off my scooter when I was in school, long back, maybe 20 years") == "none"
    assert level(detector, "I came off my scooter this morning and my back hurts") == "emergency"


# ------------------------------------------------------------- figures of speech with the trivial cause named


@pytest.mark.parametrize(
    "text",
    [
        "my landlord is giving me heart attack with these rent hikes",
        "this job is taking my life slowly haha",
        "legs are dead after yesterday's hike",
        "my back is broken from moving boxes all weekend lol",
        "I nearly passed out from relaxation during the facial haha",
    ],
)
def test_an_idiom_with_its_cause_is_no_alarm(detector, text):
    assert level(detector, text) == "none"


@pytest.mark.parametrize(
    "text",
    [
        "my dad is having a heart attack",
        "I am thinking of taking my life",
        "my legs are dead and numb since this morning",
        "I nearly fainted at the bus stop and my back hurts",
    ],
)
def test_the_same_words_of_ones_own_emergency_still_fire(detector, text):
    assert level(detector, text) == "emergency"


def test_a_fall_while_moving_house_still_fires(detector):
    assert level(detector, "I fell off a ladder moving house and think my back is broken") == "emergency"


# ------------------------------------------------------------- weight loss as a goal


def test_weight_loss_as_a_goal_is_no_alarm(detector):
    text = "will yoga help weight loss?"
    assert level(detector, text) == "none"
    assert "INTENTIONAL" in dropped_by(detector, text)


@pytest.mark.parametrize(
    "text", ["I lost 6 kg without trying, can massage help?", "I am losing weight and I don't know why"]
)
def test_unexplained_weight_loss_still_counts(detector, text):
    assert level(detector, text) == "urgent"


# ------------------------------------------------------------- breathless: unfitness named, not the stairs alone


def test_breathless_after_a_game_with_unfitness_named_is_no_alarm(detector):
    assert level(detector, "breathless after cricket with my nephew, I'm so out of shape lol") == "none"
    assert level(detector, "I'm breathless on the stairs, no exercise for years") == "none"


def test_the_stairs_alone_are_no_reason(detector):
    assert (
        level(detector, "I got so breathless climbing the stairs to my flat just now I had to sit down") == "emergency"
    )


# ------------------------------------------------------------- new wording of two emergencies


@pytest.mark.parametrize(
    "text",
    ["the jeep flipped over with me and my brother in it", "our auto rickshaw turned over on the highway"],
)
def test_a_vehicle_overturning_is_major_trauma(detector, text):
    assert level(detector, text) == "emergency"


def test_rolling_over_without_a_vehicle_is_no_trauma(detector):
    assert level(detector, "I rolled over onto my front on the massage table") == "none"


@pytest.mark.parametrize(
    "text",
    [
        "I just want everything to stop permanently",
        "sometimes I want to end it all",
        "I want to go to sleep and never wake up",
    ],
)
def test_indirect_suicidal_wording_fires(detector, text):
    assert level(detector, text) == "emergency"


def test_wanting_a_noise_to_stop_is_no_alarm(detector):
    assert level(detector, "I want the noise from next door to stop, it's driving me mad") == "none"


@pytest.mark.parametrize(
    "text",
    [
        "I get out of breath on the stairs but that's cause I'm so unfit haha",
        "my dad gets short of breath on hills, always has, the GP knows, can he have a massage?",
        "my wife gets breathless on stairs, her GP says it's fitness, can she lie flat?",
    ],
)
def test_breathless_on_effort_explained_unfit_longstanding_or_cleared(detector, text):
    assert level(detector, text) == "none"


@pytest.mark.parametrize(
    "text",
    [
        "I get out of breath on the stairs but now my chest is tight",
        "my dad gets short of breath on hills, always has, but now he can't catch his breath sitting down",
    ],
)
def test_breathless_with_a_new_change_still_fires(detector, text):
    assert level(detector, text) == "emergency"


# ------------------------------------------------------------- Scots and northern spellings: negation is read


@pytest.mark.parametrize(
    "text",
    [
        "nae fever, nae numbness, just a stiff back fae the gym",
        "nae weakness in my legs, just tired fae the walk",
        "i dinnae have chest pain, it's my lower back",
        "she isnae suicidal, she's just had a rotten week",
        "havenae had a temperature at all",
        "nothin numb doon there, just a pulled muscle",
    ],
)
def test_scots_negation_drops_the_flag(detector, text):
    assert level(detector, text) in ("none", "professional")
    assert "NEGATED_EXISTENCE" in dropped_by(detector, text)


@pytest.mark.parametrize(
    "text",
    [
        "i cannae feel my legs since this mornin",
        "fell aff a roof at work, back's in agony",
        "she keeled ower n passed oot in the kitchen, came round on the floor",
    ],
)
def test_scots_wording_of_an_emergency_still_fires(detector, text):
    assert level(detector, text) == "emergency"


def test_a_shy_bladder_is_no_retention(detector):
    assert (
        level(detector, "cannae pee at the urinals if there's a queue, shy bladder, been like that for ever") == "none"
    )


def test_retention_without_the_everyday_cause_still_fires(detector):
    assert level(detector, "cannae pee since last night n my back's agony") == "emergency"


# ------------------------------------------------------------- indirect suicidal wording: a means, a plan, a time


@pytest.mark.parametrize(
    "text",
    [
        "my family would be better aff withoot me",
        "ive been savin up my tablets in a shoebox",
        "been stockpiling painkillers for a while now",
        "counted out all my pills on the table tonight",
        "i won't be here by friday so it doesnae matter",
        "i won't be around much longer, it's all sorted",
        "fed up wi it all, i've been lookin at the bridge",
    ],
)
def test_indirect_suicidal_wording_with_a_means_or_a_time_fires(detector, text):
    assert level(detector, text) == "emergency"


@pytest.mark.parametrize(
    "text",
    [
        "sick of it all wi this back, need a good massage",
        "my tablets are lined up in the weekly organiser",
        "i won't be here next week, on holiday, can we move it",
    ],
)
def test_weariness_or_a_pill_routine_alone_is_no_alarm(detector, text):
    assert level(detector, text) == "none"


# ------------------------------------------------------------- questions, a child's fever, a first run


@pytest.mark.parametrize(
    "text",
    [
        "could you explain what a stiff neck wi a fever means, for my first aid class",
        "what should runners look out for after a fall on ice, in general",
    ],
)
def test_explain_or_watch_out_for_is_an_info_question(detector, text):
    assert level(detector, text) in ("none", "professional")
    assert "INFO_QUESTION" in dropped_by(detector, text)


def test_a_symptom_of_ones_own_before_the_question_still_fires(detector):
    assert level(detector, "my neck's stiff n i've a fever, can you explain what that means") == "emergency"


def test_a_bairns_fever_behind_a_cancellation_is_no_alarm(detector):
    text = "sorry hen, have to cancel, the bairn's got a fever"
    assert level(detector, text) == "none"
    assert "CARER" in dropped_by(detector, text)


@pytest.mark.parametrize(
    "text",
    ["bit breathless after my first jog in ages", "oot of breath after couch to 5k week one"],
)
def test_breathless_from_a_first_run_is_no_alarm(detector, text):
    assert level(detector, text) == "none"


def test_breathless_sitting_still_still_fires(detector):
    assert level(detector, "short of breath sittin on the couch, came on oot of nowhere") == "emergency"
