"""The rules that look at the whole message after a topic is chosen: a kind's overview, a type made for a condition."""

from __future__ import annotations

import pytest

from bot.core.dialogue import Resolution, resolve, resolve_unsure
from bot.core.entities import find_in_text, normalise


@pytest.mark.parametrize(
    "entities",
    [
        {"massage_type": ["hot stone", "sports", "shiatsu"]},
        {},  # the extractor found none: the names are found in the words
    ],
)
def test_three_named_types_get_the_overview(entities):
    text = "i keep hearing about hot stone, sports and shiatsu, how are they different"
    assert resolve("ask_massage_type", entities, text) == Resolution(topic="type.overview")


@pytest.mark.parametrize(
    "intent, entities, text, topic",
    [
        (
            "ask_massage_type",
            {"massage_type": ["swedish"]},
            "what massage styles are there apart from swedish?",
            "type.overview",
        ),
        (
            "ask_massage_type",
            {"massage_type": ["deep tissue"]},
            "so many types of massage, deep tissue, which is which",
            "type.overview",
        ),
        # tb27, tb29: "many", and the kind in the singular
        ("ask_massage_type", {}, "so many kind, swedish, deep tissue... which one for me", "type.overview"),
        (
            "ask_massage_type",
            {},
            "there is many kinds of massage, Swedish, deep and I dont know what. Which one for me",
            "type.overview",
        ),
        (
            "ask_technique",
            {"technique": ["kneading"]},
            "can you explain the difference between all the moves, kneading etc",
            "technique.overview",
        ),
        (
            "ask_technique",
            {"technique": ["kneading", "friction"]},
            "walk me through all the massage techniques, kneading and friction and the rest",
            "technique.overview",
        ),
        # one thing named, the rest waved at: the person wants them all
        (
            "ask_technique",
            {"technique": ["kneading"]},
            "is it just kneading and whatever else they feel like doing",
            "technique.overview",
        ),
        (
            "ask_massage_type",
            {"massage_type": ["swedish"]},
            "i know swedish, any other types worth a try",
            "type.overview",
        ),
        (
            "ask_technique",
            {"technique": ["stroking"]},
            "i read about stroking on your site, what are the main techniques you use",
            "technique.overview",
        ),
    ],
)
def test_asking_about_all_of_a_kind_gets_its_overview(intent, entities, text, topic):
    assert resolve(intent, entities, text).topic == topic


@pytest.mark.parametrize(
    "intent, entities, text, topic",
    [
        ("ask_massage_type", {"massage_type": ["hot stone", "shiatsu"]}, "hot stone or shiatsu?", "type.hot_stone"),
        (
            "ask_massage_type",
            {"massage_type": ["deep tissue"]},
            "tried all kinds of massages, is deep tissue the strongest",
            "type.deep_tissue",
        ),
        (
            "ask_condition",
            {"condition": ["sciatica"]},
            "swedish, shiatsu or deep tissue for my sciatica?",
            "condition.sciatica",
        ),
        # benefits are everyday words: naming three does not ask for all of them
        (
            "ask_benefit",
            {"benefit": ["sleep", "stress", "mood"]},
            "can massage help my sleep, stress and mood",
            "benefit.sleep",
        ),
    ],
)
def test_one_or_two_named_or_another_kind_keep_their_topic(intent, entities, text, topic):
    assert resolve(intent, entities, text).topic == topic


@pytest.mark.parametrize(
    "intent, entities, text",
    [
        ("ask_condition", {"condition": ["pregnant"]}, "do you have a gentle massage for pregnant women?"),
        ("ask_condition", {"condition": ["pregnancy"]}, "do you offer pregnancy massage"),
        ("ask_condition", {}, "is there a special treatment for mums-to-be"),
        ("ask_massage_type", {}, "what kind of massage would you recommend for pregnancy"),
    ],
)
def test_a_massage_asked_for_pregnancy_is_the_prenatal_type(intent, entities, text):
    assert resolve(intent, entities, text).topic == "type.prenatal"


@pytest.mark.parametrize(
    "intent, entities, text",
    [
        ("ask_condition", {"condition": ["pregnant"]}, "im pregnant and my lower back aches, can massage help"),
        ("ask_condition", {}, "pregnancy back pain, is massage ok"),
        ("ask_massage_type", {}, "which massage is best for back pain in pregnancy"),
    ],
)
def test_pregnancy_with_back_pain_stays_the_condition(intent, entities, text):
    assert resolve(intent, entities, text).topic == "condition.pregnancy"


def test_a_facet_question_about_a_massage_for_pregnancy_keeps_its_facet():
    r = resolve("safety_contraindications", {"condition": ["pregnant"]}, "is a massage for pregnant women safe?")
    assert r == Resolution(topic="safety.contraindications", context="condition.pregnancy")


def test_an_unsure_message_asking_a_massage_for_pregnancy_is_the_prenatal_type():
    ranking = [{"name": "nlu_fallback", "confidence": 0.4}, {"name": "out_of_scope", "confidence": 0.3}]
    assert (
        resolve_unsure(ranking, {"condition": ["pregnant"]}, "a massage for pregnant ladies?").topic == "type.prenatal"
    )


def test_pregnancy_alone_names_the_condition_and_pregnancy_massage_the_type():
    assert find_in_text("massage_type", "pregnancy back pain") == []
    assert find_in_text("condition", "pregnancy back pain") == ["pregnancy"]
    assert normalise("massage_type", "pregnancy massage") == "prenatal"
    assert normalise("massage_type", "pregnancy") is None


@pytest.mark.parametrize("text", ["back pain in pregnancy, massage ok?", "I'm in pregnancy. Massage, is it safe?"])
def test_a_name_does_not_run_over_a_comma_or_a_full_stop(text):
    assert find_in_text("massage_type", text) == []
    assert find_in_text("condition", text) == ["pregnancy"]


@pytest.mark.parametrize(
    "entity, text, found",
    [
        ("condition", "is the therapist trained for back problems", []),
        ("condition", "are your staff properly trained", []),
        ("benefit", "the scan says disc degeneration, what now", []),
        ("condition", "straned my back at the gym", ["muscle_strain"]),
        ("condition", "siatica down my leg", ["sciatica"]),
    ],
)
def test_a_misspelling_keeps_its_first_letter(entity, text, found):
    """An ordinary word one letter from a name ("trained", "degeneration") does not name it; a typo still does."""
    assert find_in_text(entity, text) == found


@pytest.mark.parametrize(
    "intent, text, topic",
    [
        ("ask_benefit", "been tossing and turning all week, would a massage settle me", "benefit.sleep"),
        ("ask_benefit", "would a massage help me chill out after work", "benefit.stress"),
        ("ask_benefit", "the stiffness after a hard workout, does massage shift it", "benefit.recovery"),
        ("ask_benefit", "would it take the edge off a bad back", "benefit.pain_relief"),
        ("ask_condition", "a trapped nerve has me crippled, is massage any good", "condition.sciatica"),
        (
            "ask_condition",
            "back pain for donkey's years now, would massage do anything",
            "condition.chronic_low_back_pain",
        ),
        ("ask_condition", "two weeks since my op, can I get a massage", "condition.after_surgery"),
        ("ask_technique", "what's the squishing move for", "technique.kneading"),
        ("ask_massage_type", "do you do anything for mums to be", "type.prenatal"),
    ],
)
def test_irish_and_british_lay_names_pick_their_topic(intent, text, topic):
    """Lay names from synonyms_lay.yml, found in the words when the extractor found none."""
    assert resolve(intent, {}, text).topic == topic


@pytest.mark.parametrize(
    "entities, text, topic",
    [
        (
            {"condition": ["slipped disc", "neck"]},
            "a slipped disc in my neck, would massage be ok",
            "condition.herniated_disc",
        ),
        ({}, "scoliosis makes one shoulder sit lower, can massage help", "condition.scoliosis"),
        (
            {"condition": ["lower back", "osteoporosis"]},
            "low back massage with osteoporosis, is it allowed",
            "condition.osteoporosis",
        ),
    ],
)
def test_a_condition_named_with_its_body_area_is_that_condition(entities, text, topic):
    """A body area (neck, low back) says where, the condition says what: no clarifying question between them."""
    r = resolve("ask_condition", entities, text)
    assert r.topic == topic and not r.clarify


def test_two_conditions_that_are_not_areas_still_get_a_clarifying_question():
    r = resolve("ask_condition", {"condition": ["sciatica", "slipped disc"]}, "sciatica and a slipped disc, massage?")
    assert r.clarify == ("condition.sciatica", "condition.herniated_disc")


@pytest.mark.parametrize(
    "intent, text, topic",
    [
        ("ask_condition", "overstrained my back lifting boxes, is massage ok", "condition.muscle_strain"),
        ("ask_condition", "my doctor says the bones are thin, is a massage risky", "condition.osteoporosis"),
        ("ask_condition", "osteochondrosis in the lower spine, massage yes or no", "condition.chronic_low_back_pain"),
        ("ask_condition", "the piriformis is tight and my leg tingles, any use", "condition.sciatica"),
        ("ask_condition", "three months after giving birth, my back aches", "condition.pregnancy"),
        ("ask_benefit", "can massage get more oxygen into tired muscles", "benefit.circulation"),
        ("ask_benefit", "I want to stand more straight, can massage do that", "benefit.posture"),
        ("ask_benefit", "my shoulders go forward when I type, massage help?", "benefit.posture"),
        ("ask_technique", "what is the move where they knock on you with the side of the hand", "technique.tapping"),
        ("ask_massage_type", "which type is for pregnant clients", "type.prenatal"),
    ],
)
def test_non_native_lay_names_pick_their_topic(intent, text, topic):
    """Lay names and Russian diagnoses from synonyms_lay.yml (tb6's kinds), found in the words."""
    assert resolve(intent, {}, text).topic == topic


@pytest.mark.parametrize(
    "entities",
    [
        {"condition": ["shoulders"]},  # the extractor tagged the area inside the posture's name
        {},
    ],
)
def test_an_area_inside_a_benefit_name_is_not_a_condition(entities):
    text = "my shoulders are rounded from phone use, can massage help"
    assert resolve("ask_benefit", entities, text).topic == "benefit.posture"


def test_an_area_outside_a_benefit_name_still_outranks_the_benefit():
    text = "my shoulders are so tense, can massage help"
    assert resolve("ask_benefit", {"condition": ["shoulders"]}, text).topic == "condition.upper_back_neck"


@pytest.mark.parametrize(
    "intent, entities, text, topic",
    [
        ("ask_condition", {}, "preggo and my hips ache at night, is a back massage ok", "condition.pregnancy"),
        ("ask_condition", {}, "could a firm massage induce labour", "condition.pregnancy"),
        ("ask_condition", {}, "31 weeks, can i still get my back done", "condition.pregnancy"),
        ("ask_condition", {}, "i'm 18 weeks now and my lower back is stiff, massage yes or no", "condition.pregnancy"),
        ("ask_condition", {}, "my girlfriend is 26 wks, is massage fine for her", "condition.pregnancy"),
        ("ask_condition", {}, "i'm in my sixth month, can i lie on my side for a massage", "condition.pregnancy"),
        # tb27: months along said with "in", the lower back named beside it
        (
            "ask_condition",
            {},
            "my wife is in 7 month, her lower back hurt her a lot. massage is ok?",
            "condition.pregnancy",
        ),
        ("ask_condition", {}, "my due date is close, any areas the therapist must avoid", "condition.pregnancy"),
        # the plural of a type name without "massages" is the condition's name: listed as the type
        ("ask_condition", {"condition": ["pregnancy"]}, "are maternity massages something you do", "type.prenatal"),
        ("ask_massage_type", {}, "do you do pregnancy massages on weekends", "type.prenatal"),
        ("ask_condition", {}, "expecting twins, do you have a specific massage for that", "type.prenatal"),
        ("ask_condition", {}, "is there a massage for a woman who is pregnant", "type.prenatal"),
    ],
)
def test_pregnancy_in_lay_words_and_plural_type_names(intent, entities, text, topic):
    """tb8's kinds (synonyms_lay.yml): lay names, weeks along, labour, plural type names."""
    assert resolve(intent, entities, text).topic == topic


@pytest.mark.parametrize(
    "text",
    [
        "12 weeks of physio and my back still hurts, will massage help",
        "my back has been sore for 14 weeks, can massage help",
        "i'm 16 weeks out from a fall and still stiff",
        "20 weeks ago i hurt my back at the gym",
        "12 weeks now and the ache has not gone",
        "my daughter's 6 months old and carrying her hurts my back",
        "we're into the 5th month of the project and my neck is wrecked",
        "a labour of love, my garden, but my back hates it",
    ],
)
def test_a_number_of_weeks_that_is_a_time_since_is_not_pregnancy(text):
    assert "pregnancy" not in find_in_text("condition", text)


def test_a_special_massage_for_another_condition_is_not_the_prenatal_type():
    text = "i have sciatica, is there a special massage for that"
    assert find_in_text("massage_type", text) == []
    assert resolve("ask_condition", {}, text).topic == "condition.sciatica"


@pytest.mark.parametrize(
    "intent, text, topic",
    [
        # Hindi "dard" (pain), "kamar dard" (back pain), "pain kam" (the pain goes down)
        ("ask_benefit", "will the dard go after two or three sittings", "benefit.pain_relief"),
        ("ask_benefit", "is massage good for kamar dard", "benefit.pain_relief"),
        ("ask_benefit", "after malish my pain kam ho jata hai, is that normal", "benefit.pain_relief"),
        ("ask_benefit", "can massage straighten his back a little, he bends forward", "benefit.posture"),
        ("ask_condition", "is massage ok post-operative, it is my third week", "condition.after_surgery"),
        ("ask_condition", "my son has a catch in his back since the match yesterday", "condition.muscle_strain"),
        ("ask_condition", "i got a back catch while lifting the bucket", "condition.muscle_strain"),
        (
            "ask_condition",
            "my mother has stiffness in the lower back since long, massage ok?",
            "condition.chronic_low_back_pain",
        ),
        ("ask_condition", "back is aching from last 4 years, will massage help", "condition.chronic_low_back_pain"),
    ],
)
def test_indian_english_lay_words(intent, text, topic):
    """tb9's kinds (synonyms_lay.yml): Hindi words, "post operative", a catch in the back, "from long time"."""
    assert resolve(intent, {}, text).topic == topic


@pytest.mark.parametrize(
    "text",
    [
        "can i get a catch-up session next week",
        "we play catch in the garden, is massage good after",
        "is there a catch, any hidden charges for the massage",
    ],
)
def test_a_catch_that_is_not_a_strain(text):
    assert "muscle_strain" not in find_in_text("condition", text)


@pytest.mark.parametrize(
    "intent, text, topic",
    [
        # French names (synonyms_lay.yml), with and without accents, alone or in English sentences
        ("ask_condition", "ma soeur a une sciatique depuis un mois, massage?", "condition.sciatica"),
        ("ask_condition", "une hernie discale au cou, massage ok?", "condition.herniated_disc"),
        ("ask_condition", "my ostéoporose is bad, gentle massage possible?", "condition.osteoporosis"),
        ("ask_condition", "osteoporose and massage?", "condition.osteoporosis"),
        ("ask_condition", "lombalgie depuis des annees", "condition.chronic_low_back_pain"),
        ("ask_condition", "mon pere a de l'arthrose, massage?", "condition.arthritis"),
        ("ask_condition", "the trapezes are so tight, massage?", "condition.upper_back_neck"),
        ("ask_condition", "j'ai un tour de reins, massage tout de suite?", "condition.muscle_strain"),
        ("ask_condition", "she is enceinte of 6 months, is a back massage fine?", "condition.pregnancy"),
        ("ask_benefit", "le massage aide pour le sommeil?", "benefit.sleep"),
        ("ask_benefit", "more souplesse after a massage?", "benefit.flexibility"),
        ("ask_benefit", "la recuperation apres le sport?", "benefit.recovery"),
        ("ask_benefit", "mal au dos, massage?", "benefit.pain_relief"),
        ("ask_massage_type", "c'est quoi le massage suédois", "type.swedish"),
        ("ask_massage_type", "massage aux pierres chaudes?", "type.hot_stone"),
        ("ask_massage_type", "point gâchette, c'est quoi?", "type.trigger_point"),
        ("ask_massage_type", "un massage pour les femmes enceintes", "type.prenatal"),
    ],
)
def test_quebec_french_lay_words(intent, text, topic):
    """tb10's kinds: French names of conditions, types and benefits."""
    assert resolve(intent, {}, text).topic == topic


@pytest.mark.parametrize(
    "entity, text",
    [
        ("condition", "my dad is not in a good mood, can a massage help"),
        ("condition", "can i bring my cousin to the massage"),
        ("condition", "is there a dose of ibuprofen to take before"),
        ("benefit", "does my dosha matter for ayurvedic massage"),
        ("condition", "my daughter wants to be a massage therapist, which school"),
    ],
)
def test_short_french_words_are_not_read_in_english(entity, text):
    """'cou', 'dos', 'mal' are listed only inside phrases, so English words are never read as them."""
    assert find_in_text(entity, text) == []


@pytest.mark.parametrize(
    "entities, text",
    [
        ({}, "is it ok to stop the therapist halfway and say that is enough"),
        ({"massage_type": ["sports"]}, "does my 15 year old need her dad in the room for a sports massage"),
        ({"massage_type": ["deep_tissue"]}, "must a guardian sit in when a minor has deep tissue work"),
    ],
)
def test_consent_questions_naming_a_type_stay_consent(entities, text):
    """Consent is a facet: a named type adds its cautions but the answer is about consent (held-out regression)."""
    assert resolve("therapist_consent", entities, text).topic == "therapist.consent"


@pytest.mark.parametrize(
    "intent, text, topic",
    [
        ("ask_massage_type", "massagem esportiva, what happens in it", "type.sports"),
        ("ask_technique", "why do they do percussao on the back", "technique.tapping"),
        ("ask_condition", "i have escoliose, can massage help", "condition.scoliosis"),
        ("ask_condition", "had cirurgia na coluna two years ago, massage ok now", "condition.after_surgery"),
        ("ask_condition", "did a mau jeito lifting my kid, massage?", "condition.muscle_strain"),
        ("ask_benefit", "can massage help with sadness", "benefit.mood"),
        ("ask_benefit", "is massage good for circulacao", "benefit.circulation"),
    ],
)
def test_portuguese_names_pick_their_topic(intent, text, topic):
    """Portuguese names for types, techniques, conditions and benefits (tb25's kinds), found in the words."""
    assert resolve(intent, {}, text).topic == topic


@pytest.mark.parametrize(
    "text, context",
    [
        ("im diabetic, are hot stones a bad idea for me", "type.hot_stone"),
        ("is deep tissue ok with high blood pressure", "type.deep_tissue"),
        ("i'm epileptic, can i have shiatsu", "type.shiatsu"),
        ("swedish massage with a heart condition?", "type.swedish"),
    ],
)
def test_a_type_asked_with_a_health_condition_is_the_health_condition(text, context):
    """The condition decides whether it is safe; the type's cautions come beside it."""
    assert resolve("ask_massage_type", {}, text) == Resolution(topic="safety.health_conditions", context=context)


@pytest.mark.parametrize("text", ["what is hot stone massage", "does deep tissue get the heart rate up"])
def test_a_type_question_without_a_health_condition_keeps_its_type(text):
    assert resolve("ask_massage_type", {}, text).topic.startswith("type.")
