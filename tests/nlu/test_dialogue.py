"""Follow-ups, clarifying questions and entity clean-up, without servers."""

from __future__ import annotations

import pytest

from bot.core.answers import answer_topic, clarify
from bot.core.dialogue import Resolution, is_plain_language, mentions_the_domain, next_subject, resolve, resolve_unsure
from bot.core.entities import find_in_text, normalise
from bot.core.facts.content import read_content
from bot.core.facts.repository import FactRepository
from bot.core.facts.store import engine_for, load


@pytest.mark.parametrize(
    "entity, raw, value",
    [
        ("condition", "siatica", "sciatica"),
        ("condition", "Bulging Disk", "herniated_disc"),
        ("massage_type", "deep tisue massage", "deep_tissue"),
        ("massage_type", "hot-stone", "hot_stone"),
        ("technique", "efleurage", "stroking"),
        ("technique", "frictioning", "friction"),
        ("benefit", "insomnia", "sleep"),
        ("condition", "pulled", None),
        ("massage_type", "behind massage", None),
    ],
)
def test_extracted_values_are_normalised_to_topic_suffixes(entity, raw, value):
    assert normalise(entity, raw) == value


@pytest.mark.parametrize(
    "entity, text, values",
    [
        ("condition", "will a massage fix my sciatica??", ["sciatica"]),
        ("condition", "my sciatca is bad again", ["sciatica"]),
        (
            "condition",
            "i have pain between my shoulder blades and a slipped disc",
            ["upper_back_neck", "herniated_disc"],
        ),
        ("condition", "my back has been hurting for over 6 months", ["chronic_low_back_pain"]),
        ("condition", "my long-term back pain is worse in winter", ["chronic_low_back_pain"]),
        ("condition", "will regular massage make me more flexible long term", []),  # a lasting benefit
        ("condition", "is it true you can't be massaged before 12 weeks?", ["pregnancy"]),
        ("condition", "low back pain not go away since two year", ["chronic_low_back_pain"]),
        ("condition", "can my 3 year old come with me to the massage", []),  # an age, not how long
        ("condition", "no massage until 12 weeks after my fusion, they said", ["after_surgery"]),
        ("condition", "which massage type should i pick for my back", []),  # "should" is not "shoulder"
        ("condition", "i train for triathlons", []),  # "train" is not "strain"
        ("massage_type", "can massage get rid of knots in my back", ["trigger_point"]),
        ("condition", "can i get a massage in my first trimester", ["pregnancy"]),
        ("benefit", "can massage reduce my back pain", ["pain_relief"]),
    ],
)
def test_values_are_found_in_unannotated_text(entity, text, values):
    assert find_in_text(entity, text) == values


def test_a_named_subject_answers_its_own_topic_whatever_came_before():
    r = resolve("ask_condition", {"condition": ["sciatica"]}, "what about for sciatica?", subject="type.deep_tissue")
    assert r == Resolution(topic="condition.sciatica")


@pytest.mark.parametrize(
    "intent, text, subject, topic",
    [
        ("safety_contraindications", "is it safe?", "type.deep_tissue", "safety.contraindications"),
        ("session_frequency", "how often?", "condition.sciatica", "session.frequency"),
        ("session_pressure", "will it hurt?", "technique.friction", "session.pressure"),
    ],
)
def test_a_facet_question_keeps_its_topic_and_carries_the_subject(intent, text, subject, topic):
    assert resolve(intent, {}, text, subject=subject) == Resolution(topic=topic, context=subject)


def test_a_subject_named_in_a_facet_question_is_its_context():
    r = resolve("session_frequency", {"massage_type": ["deep tissue"]}, "how often should i get deep tissue")
    assert r == Resolution(topic="session.frequency", context="type.deep_tissue")


@pytest.mark.parametrize(
    "intent, text, topic, context",
    [
        ("session_frequency", "how often should i get deep tissue", "session.frequency", "type.deep_tissue"),
        ("safety_medications", "on warfarin, is hot stone massage ok", "safety.medications", "type.hot_stone"),
        ("session_pressure", "will it hurt with my sciatica", "session.pressure", "condition.sciatica"),
    ],
)
def test_a_subject_found_only_in_the_words_is_the_context(intent, text, topic, context):
    """The classifier extracts no entities (config.yml): the names come from the message's words."""
    assert resolve(intent, {}, text) == Resolution(topic=topic, context=context)


def test_a_facet_question_without_a_subject_has_no_context():
    assert resolve("safety_contraindications", {}, "is massage safe?") == Resolution(topic="safety.contraindications")


def test_a_value_the_classifier_inferred_gives_way_to_the_subject_the_message_points_back_to():
    # the intent classifier adds a benefit the words do not name (bot.rasa.topic_classifier)
    inferred = {"benefit": ["stress"]}
    text = "would a massage help with it?"
    assert (
        resolve("ask_benefit", inferred, text, subject="condition.herniated_disc").topic == "condition.herniated_disc"
    )
    assert resolve("ask_benefit", inferred, text).topic == "benefit.stress"  # nothing to point back to
    # named in the words, the value is what is asked about
    assert resolve("ask_benefit", {}, "would it help my sleep?", subject="condition.sciatica").topic == "benefit.sleep"


def test_a_condition_question_naming_nothing_means_the_condition_being_discussed():
    assert (
        resolve("ask_condition", {}, "will massage help it?", subject="condition.herniated_disc").topic
        == "condition.herniated_disc"
    )
    assert resolve("ask_condition", {}, "will massage help it?", subject="type.swedish").topic == "benefit.pain_relief"
    assert resolve("ask_massage_type", {}, "what types are there?", subject="type.swedish").topic == "type.overview"
    assert (
        resolve("ask_benefit", {}, "would a massage help with it?", subject="condition.sciatica").topic
        == "condition.sciatica"
    )
    assert (
        resolve("ask_benefit", {}, "what are the benefits?", subject="condition.sciatica").topic == "benefit.overview"
    )


def test_misspelt_or_missed_entities_still_pick_the_topic():
    assert resolve("ask_condition", {"condition": ["siatica"]}, "siatica and massage?").topic == "condition.sciatica"
    assert resolve("ask_condition", {}, "is massage ok with my sciatca").topic == "condition.sciatica"


def test_a_question_of_one_kind_naming_a_subject_of_another_answers_that_subject():
    r = resolve("ask_massage_type", {"condition": ["sciatica"]}, "which massage is best for sciatica")
    assert r.topic == "condition.sciatica"
    assert resolve("ask_condition", {}, "can massage get rid of knots in my back").topic == "type.trigger_point"


def test_two_named_conditions_get_a_clarifying_question():
    r = resolve("ask_condition", {"condition": ["sciatica", "slipped disc"]}, "sciatica and a slipped disc, massage?")
    assert r == Resolution(clarify=("condition.sciatica", "condition.herniated_disc"))


def test_two_named_types_answer_the_first_and_offer_the_second():
    r = resolve("ask_massage_type", {"massage_type": ["swedish", "deep tissue"]}, "swedish or deep tissue?")
    assert r == Resolution(topic="type.swedish", also=("type.deep_tissue",))


def test_an_unsure_reading_gives_way_to_the_one_subject_named():
    text = "strained my back lifting, massage yes or no"
    assert (
        resolve("compare_therapies", {"condition": ["strained my back"]}, text, confidence=0.43).topic
        == "condition.muscle_strain"
    )
    assert (
        resolve("compare_therapies", {"condition": ["strained my back"]}, text, confidence=0.9).topic
        == "compare.other_therapies"
    )
    facet = resolve("session_aftercare", {"massage_type": ["deep tissue"]}, "after deep tissue?", confidence=0.4)
    assert facet == Resolution(topic="session.aftercare", context="type.deep_tissue")


def test_tell_me_more_goes_deeper_into_the_last_topic():
    assert resolve("tell_more", {}, "tell me more", last_topic="condition.sciatica") == Resolution(
        topic="condition.sciatica", detail=True
    )
    assert resolve("tell_more", {}, "tell me more", last_topic=None).topic == "about.assistant"
    assert resolve("tell_more", {}, "tell me more", last_topic="chat.greet").topic == "about.assistant"


def test_non_questions_resolve_to_nothing():
    assert resolve("greet", {}, "hi") == Resolution()


def test_the_subject_survives_facet_questions_and_ends_with_other_topics():
    assert next_subject("type.hot_stone", None) == "type.hot_stone"
    assert next_subject("safety.contraindications", "type.hot_stone") == "type.hot_stone"
    assert next_subject("practical.booking", "type.hot_stone") is None
    assert next_subject("condition.sciatica", "type.hot_stone") == "condition.sciatica"


def _ranking(*pairs):
    return [{"name": "nlu_fallback", "confidence": 0.45}] + [{"name": n, "confidence": c} for n, c in pairs]


def test_an_unsure_classifier_torn_between_two_questions_asks_which():
    r = resolve_unsure(_ranking(("session_duration", 0.41), ("session_preparation", 0.3)), {}, "?")
    assert r == Resolution(clarify=("session.duration", "session.preparation"))


@pytest.mark.parametrize(
    "ranking",
    [
        _ranking(("greet", 0.4), ("session_duration", 0.3)),  # small talk is not a topic to offer
        _ranking(("session_duration", 0.2), ("session_preparation", 0.15)),  # too unsure
    ],
)
def test_no_clarifying_question_without_two_likely_topics(ranking):
    assert resolve_unsure(ranking, {}, "mmm").clarify == ()


def test_no_clarifying_question_when_both_readings_are_the_same_topic():
    ranking = _ranking(("ask_condition", 0.4), ("ask_benefit", 0.35))
    assert resolve_unsure(ranking, {"benefit": ["pain relief"]}, "pain relief?") == Resolution(
        topic="benefit.pain_relief"
    )


@pytest.mark.parametrize(
    "ranking, topic",
    [
        # one question, the rest small talk or out of scope: answered, not "please rephrase"
        (_ranking(("therapist_consent", 0.28), ("out_of_scope", 0.12), ("greet", 0.1)), "therapist.consent"),
        (_ranking(("session_duration", 0.3), ("session_preparation", 0.08)), "session.duration"),
        # too unsure, a question close behind (that is a clarifying question), or not a question
        (_ranking(("therapist_consent", 0.2), ("out_of_scope", 0.05)), None),
        (_ranking(("therapist_consent", 0.3), ("out_of_scope", 0.13), ("session_pressure", 0.12)), None),
        (_ranking(("out_of_scope", 0.3), ("therapist_consent", 0.1)), None),
    ],
)
def test_an_unsure_classifier_with_one_clear_question_answers_it(ranking, topic):
    assert resolve_unsure(ranking, {}, "who do i tell").topic == topic


def test_an_unsure_message_naming_one_subject_answers_it():
    r = resolve_unsure(_ranking(("out_of_scope", 0.3), ("thanks", 0.2)), {"massage_type": ["hot stone"]}, "hot stone??")
    assert r == Resolution(topic="type.hot_stone")


@pytest.fixture(scope="module")
def repository(tmp_path_factory) -> FactRepository:
    engine = engine_for(f"sqlite:///{tmp_path_factory.mktemp('facts') / 'facts.db'}")
    load(read_content(), engine)
    return FactRepository(engine)


def test_a_follow_up_answer_adds_the_subject_cautions_and_sources(repository):
    plain = answer_topic("safety.contraindications", repository=repository)
    followed = answer_topic("safety.contraindications", repository=repository, context="type.deep_tissue")
    deep = repository.facts_for("type.deep_tissue")[0]
    assert followed.custom["topic"] == "safety.contraindications"
    assert deep.see_professional_when[0] in followed.text and deep.see_professional_when[0] not in plain.text
    assert len(followed.custom["sources"]) > len(plain.custom["sources"])
    assert followed.buttons[0]["payload"] == '/ask_topic{"topic":"type.deep_tissue"}'


def test_tell_me_more_answers_with_the_detail(repository):
    fact = repository.facts_for("condition.sciatica")[0]
    reply = answer_topic("condition.sciatica", repository=repository, detail=True)
    assert fact.detail.split(".")[0] in reply.text and fact.answer.split(".")[0] not in reply.text
    assert reply.custom["topic"] == "condition.sciatica" and reply.custom["sources"]


def test_the_clarifying_question_offers_both_topics_and_a_way_out():
    reply = clarify(("type.swedish", "type.deep_tissue"))
    assert reply.custom["topic"] == "chat.fallback" and reply.custom["sources"] == []
    assert [b["payload"] for b in reply.buttons] == [
        '/ask_topic{"topic":"type.swedish"}',
        '/ask_topic{"topic":"type.deep_tissue"}',
        "/deny",
    ]
    assert "Swedish massage" in reply.text and "Deep tissue massage" in reply.text


def test_a_body_area_or_condition_outranks_a_benefit():
    r = resolve("ask_benefit", {"benefit": ["tense"]}, "i always have tense shoulders, would massage help")
    assert r.topic == "condition.upper_back_neck"
    assert resolve("ask_benefit", {"benefit": ["stress"]}, "can massage help with stress").topic == "benefit.stress"


def test_a_benefit_whose_name_holds_a_body_area_is_still_that_benefit():
    text = "okay so like does massage help with rounded shoulders"
    assert resolve("ask_benefit", {"benefit": ["posture"]}, text).topic == "benefit.posture"
    assert resolve("ask_benefit", {}, text).topic == "benefit.posture"
    assert resolve("ask_benefit", {}, "does massage help sore shoulders").topic == "condition.upper_back_neck"


@pytest.mark.parametrize(
    "text, expected",
    [
        ("who is the president", False),
        ("what time is it", False),
        ("should i use heat or ice on my back", True),
        ("siatica??", True),  # a misspelt name counts
        ("is hot stone nice", True),
        ("are there different ways of massaging", True),
        ("what's the legal age to vote", False),  # "leg" is a word, not a prefix
    ],
)
def test_whether_a_message_is_about_the_domain_at_all(text, expected):
    assert mentions_the_domain(text) is expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("who is the president", True),
        ("xqzv blorf wibble", False),
        ("asdf", False),  # a word of the nonsense examples is not language
        ("", False),
    ],
)
def test_plain_language_is_told_from_keyboard_mash(text, expected):
    assert is_plain_language(text) is expected


def test_without_the_training_data_the_action_degrades_instead_of_crashing(tmp_path):
    """The action server may run where data/ was not shipped: exact values still work, nothing raises."""
    import os

    from bot.core.config import Settings, using

    with using(Settings.from_env(os.environ, nlu_dir=tmp_path / "no-data")):
        assert resolve("ask_condition", {"condition": ["sciatica"]}, "sciatica?").topic == "condition.sciatica"
        assert resolve("ask_condition", {"condition": ["slipped disc"]}, "slipped disc?").topic == "benefit.pain_relief"
        assert is_plain_language("who is the president") is False
