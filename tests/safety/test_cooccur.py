"""Co-occurrence rules, the one-pass element matcher, the normaliser and the cheaper build."""

from __future__ import annotations

import gc
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from spacy.matcher import Matcher
from spacy.schemas import validate_token_pattern

from bot.safety.detector import RedFlagDetector
from bot.safety.evaluate import load_labelled
from bot.safety.fastmatch import TokenPatternIndex, UnsupportedPattern
from bot.safety.lexicon import LexiconError, load_lexicon
from bot.safety.normalise import Normaliser


def level(detector, text: str) -> str:
    return detector.assess(text).level


def flag_ids(detector, text: str) -> set:
    return {f.id for f in detector.assess(text).flags}


# ----------------------------------------------------------------- the rules generalise beyond phrases


@pytest.mark.parametrize(
    "text,flag",
    [
        # body area + deficit, in either order, whatever sits between them
        ("my nethers have gone completely numb", "saddle_numbness"),
        ("numbness creeping round my backside", "saddle_numbness"),
        ("her privates feel weird since this morning", "saddle_numbness"),
        ("his thighs and legs are tingly on both sides", "bilateral_leg_symptoms"),
        ("my legs keep folding underneath me", "bilateral_leg_symptoms"),
        ("the wee just dribbles out without me noticing", "bladder_incontinence"),
        ("she cannot to make the pee", "bladder_retention"),
        ("can't tell when I need the loo for a poo", "bowel_incontinence"),
        # trauma, chest, breath, self-harm
        ("a van went into the back of us on the motorway, there was a crash", "major_trauma"),
        ("he tumbled down a whole staircase", "major_trauma"),
        ("there's a weird squeezing in my chest", "chest_pain"),
        ("I keep gasping, can't get enough breath", "sudden_breathlessness"),
        ("some nights I think about ending things", "self_harm"),
        ("I've been stockpiling my codeine", "self_harm"),
        ("my brother has been burning himself", "self_harm"),
        # urgent ones
        ("lost nearly 8 kilos and I eat the same", "weight_loss"),
        ("resting does not help and nothing eases it", "night_pain"),
        ("heard something snap in my spine", "suspected_fracture"),
    ],
)
def test_new_wordings_are_found(detector, text, flag):
    assert flag in flag_ids(detector, text), (text, detector.assess(text))


@pytest.mark.parametrize(
    "text",
    [
        "my legs are not numb",  # a denial between the parts
        "my legs are fine, no tingling at all",
        "my legs used to go numb when I was pregnant",
        "both legs are dead after leg day",  # an everyday reason in the sentence (unless)
        "my legs ache. My bum is sore.",  # parts in different sentences
        "I cut myself shaving this morning",
        "I hurt myself lifting a box",
        "I just want the pain to be gone",
        "I'd rather die than do another plank",
        "I've thrown my back out",
        "I take the whole of my lunch break for stretches",
        "lying on my front makes it worse",
        "I didn't pee myself",
    ],
)
def test_look_alikes_do_not_fire(detector, text):
    assert level(detector, text) in ("none", "professional"), (text, detector.assess(text))


def test_a_barrier_splits_the_parts(detector):
    assert level(detector, "my legs ache but my back is numb") != "emergency"
    assert level(detector, "my legs ache and my bum is numb") == "emergency"


def test_within_limits_the_distance(detector):
    near = "my bum has been really quite numb"
    far = "my bum, which I sat on all through the long drive up to my sister's house last week, is numb"
    assert "saddle_numbness" in flag_ids(detector, near)
    assert "saddle_numbness" not in flag_ids(detector, far)


def test_modifiers_still_apply_to_a_co_occurrence(detector):
    assert level(detector, "no numbness around my bum") == "none"  # negation before it
    assert level(detector, "my privates went numb years ago, fine since") == "none"  # history after it
    assert level(detector, "what if my privates go numb?") == "none"  # hypothetical
    assert detector.assess("what if my privates go numb?").info_question
    assert level(detector, "my dad's privates have gone numb") == "emergency"  # a present third person


def test_a_modifier_after_coordinated_symptoms_covers_them_all(detector):
    assert level(detector, "I had a fever and chills last month, all gone now") == "none"
    # before them it does not reach past "and": when in doubt, the safer reading
    assert level(detector, "no fever and numb legs") == "emergency"


def test_a_fronted_long_ago_reaches_across_its_comma(detector):
    assert level(detector, "Years ago, when I was a student, I fell off a balcony") == "none"
    assert level(detector, "No, I can't feel my legs") == "emergency"  # a fronted negation still does not


def test_a_cancer_worry_is_not_a_cancer_history(detector):
    assert level(detector, "could my back pain be cancer?") == "none"
    assert level(detector, "could it be my cancer coming back? my back hurts") == "urgent"


# ----------------------------------------------------------------- texting spellings, offsets kept


def test_texting_spellings_and_dropped_gs(detector):
    assert level(detector, "shiverin all nite n my back is killin") == "urgent"
    assert level(detector, "pins n needles in both legs") == "emergency"
    assert level(detector, "wat is cauda equina?") == "none"


@pytest.mark.parametrize(
    "text,flag_text",
    [
        ("shiverin all nite", "shiverin"),
        ("ok so u no what, pins n needles in both legs", "pins n needles in both legs"),
        ("cos i cant pee", "cant pee"),
    ],
)
def test_flag_offsets_point_into_what_was_typed(detector, text, flag_text):
    flag = detector.assess(text).flags[0]
    assert text[flag.start : flag.end] == flag.text == flag_text


def test_the_normaliser_maps_every_offset_back():
    normalise = Normaliser({"u": "you", "nite": "night", "dunno": "don't know"}, frozenset({"shivering"}))
    result = normalise("U shiverin at NITE? dunno")
    assert result.text == "you shivering at night? don't know"
    assert result.original(0) == 0 and result.original(3) == 1  # "you" -> "U"
    start = result.text.index("shivering")
    assert (result.original(start), result.original(start + len("shivering"))) == (2, 10)
    assert normalise("cabin within").text == "cabin within"  # only lexicon words get their g back


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(
        st.sampled_from(
            [
                "u",
                "r",
                "n",
                "nite",
                "shiverin",
                "pins",
                "needles",
                "both",
                "legs",
                "\u0130",
                "cant",
                "pee",
                ",",
                " ",
                "numb",
                "bum",
                "killin",
                "dunno",
            ]
        ),
        max_size=16,
    )
)
def test_offsets_stay_valid_whatever_is_replaced(detector, words):
    text = " ".join(words)
    for flag in detector.assess(text).flags:
        assert 0 <= flag.start < flag.end <= len(text)
        assert text[flag.start : flag.end] == flag.text


# ----------------------------------------------------------------- the one-pass matcher equals spaCy's Matcher


@pytest.mark.slow
def test_the_one_pass_matcher_finds_exactly_what_spacy_finds(detector):
    """Every co-occurrence element and every flag token pattern, on every labelled message."""
    patterns = {f"element:{e}": seqs for e, seqs in detector.lexicon.elements.items()}
    for spec in detector.lexicon.flags + detector.lexicon.helpers:
        if spec.token_patterns:
            patterns[f"flag:{spec.id}"] = spec.token_patterns
    index, matcher = TokenPatternIndex(), Matcher(detector.nlp.vocab)
    for key, seqs in patterns.items():
        index.add(key, [list(s) for s in seqs])
        matcher.add(key, [list(s) for s in seqs])
    strings = detector.nlp.vocab.strings
    for example in load_labelled():
        doc = detector.nlp(detector._normaliser(example.text).text)
        expected: dict = {}
        for match_id, start, end in matcher(doc):
            expected.setdefault(strings[match_id], set()).add((start, end))
        assert {k: set(v) for k, v in index(doc).items()} == expected, example.text


def test_the_one_pass_matcher_refuses_what_it_cannot_do():
    index = TokenPatternIndex()
    with pytest.raises(UnsupportedPattern):
        index.add("x", [[{"LOWER": "a", "OP": "+"}]])
    with pytest.raises(UnsupportedPattern):
        index.add("x", [[{"POS": "NOUN"}]])
    with pytest.raises(UnsupportedPattern):
        index.add("x", [[{"LOWER": "a", "OP": "?"}]])


def test_every_compiled_pattern_is_valid_for_spacy(detector):
    """The detector skips spaCy's per-pattern validation at start-up; this is where it happens instead."""
    lex = detector.lexicon
    seqs = [s for spec in lex.flags + lex.helpers + lex.info_topics + lex.shadows for s in spec.token_patterns]
    seqs += [s for rule in lex.modifier_rules for s in rule.token_patterns]
    seqs += [s for element in lex.elements.values() for s in element]
    assert len(seqs) > 2000
    for seq in seqs:
        assert validate_token_pattern(list(seq)) == [], seq


# ----------------------------------------------------------------- the build


def test_building_leaves_the_garbage_collector_as_it_was(detector, tmp_path):
    assert gc.isenabled()
    RedFlagDetector.from_yaml()
    assert gc.isenabled()
    gc.disable()
    try:
        RedFlagDetector.from_yaml()
        assert not gc.isenabled()
    finally:
        gc.enable()


# ----------------------------------------------------------------- malformed co-occurrence entries fail loudly

BASE = """
version: 1
terms:
  area: [bum, groin]
  deficit: [numb, tingly]
co_occurrence: {default_within: 6, barriers: [but], gap_blockers: [not]}
spellings: {nite: night}
flags:
  - id: test_flag
    group: testing
    level: emergency
    source: {title: "NHS", url: "https://www.nhs.uk/conditions/cauda-equina-syndrome/"}
    co_occur:
      - all: ["@area", "@deficit"]
modifiers:
  categories:
    NEGATED_EXISTENCE: {effect: drop, max_scope: 4}
  rules:
    - {category: NEGATED_EXISTENCE, direction: FORWARD, phrases: ["no"]}
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "red_flags.yml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_lexicon_with_only_co_occurrence_rules_works(tmp_path):
    detector = RedFlagDetector.from_yaml(write(tmp_path, BASE))
    assert detector.assess("my groin is numb").level == "emergency"
    assert detector.assess("numb, really numb, my bum").level == "emergency"
    assert detector.assess("my groin is not numb").level == "none"  # gap blocker
    assert detector.assess("my groin hurts but my foot is numb").level == "none"  # barrier
    assert detector.assess("no numbness in my groin").level == "none"  # ConText negation
    assert detector.assess("my groin aches a lot and the whole foot feels numb").level == "none"  # too far


@pytest.mark.parametrize(
    "old,new,message",
    [
        ('      - all: ["@area", "@deficit"]', '      - all: ["@area"]', "at least two elements"),
        ('      - all: ["@area", "@deficit"]', '      - all: ["@area", "@nope"]', "unknown term list @nope"),
        (
            '      - all: ["@area", "@deficit"]',
            '      - all: ["@area", "@deficit"]\n        within: 0',
            "positive integer",
        ),
        (
            '      - all: ["@area", "@deficit"]',
            '      - all: ["@area", "@deficit"]\n        colour: red',
            "unknown key",
        ),
        ("spellings: {nite: night}", "spellings: {nite: ''}", "non-empty"),
        ("spellings: {nite: night}", "spellings: {'two words': x}", "one lower-case word"),
        ("co_occurrence: {default_within: 6", "co_occurrence: {width: 3, default_within: 6", "unknown key"),
    ],
)
def test_malformed_co_occurrence_fails_with_the_file_name(tmp_path, old, new, message):
    assert old in BASE
    path = write(tmp_path, BASE.replace(old, new))
    with pytest.raises(LexiconError) as info:
        load_lexicon(path, tokenize=str.split)
    assert str(path) in str(info.value)
    assert re.search(re.escape(message), str(info.value)), str(info.value)


def test_a_single_element_is_allowed_with_an_unless(tmp_path):
    text = BASE.replace('      - all: ["@area", "@deficit"]', '      - all: ["@deficit"]\n        unless: ["gym"]')
    detector = RedFlagDetector.from_yaml(write(tmp_path, text))
    assert detector.assess("feeling numb").level == "emergency"
    assert detector.assess("feeling numb after the gym").level == "none"
