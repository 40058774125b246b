"""The lexicon loader and the lexicon itself (content/red_flags.yml)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from bot.safety.detector import RedFlagDetector
from bot.safety.lexicon import DEFAULT_LEXICON_PATH, LexiconError, load_lexicon
from bot.safety.patterns import PatternError, compile_pattern

REPO = Path(__file__).resolve().parents[2]

MINIMAL = """
version: 1
flags:
  - id: test_flag
    group: testing
    level: urgent
    source: {title: "NICE NG59", url: "https://www.nice.org.uk/guidance/ng59"}
    phrases: ["purple spots"]
    patterns: ["@colour spots|dots on @poss? back"]
terms:
  colour: ["purple|violet"]
  poss: [my, her]
modifiers:
  categories:
    NEGATED_EXISTENCE: {effect: drop, max_scope: 4}
  rules:
    - {category: NEGATED_EXISTENCE, direction: FORWARD, phrases: ["no"]}
"""

ALLOWED_SOURCE_URLS = {
    "https://www.nice.org.uk/guidance/ng59",
    "https://cks.nice.org.uk/topics/back-pain-low-without-radiculopathy/",
    "https://www.nhs.uk/conditions/cauda-equina-syndrome/",
    "https://www.nhs.uk/conditions/back-pain/",
    "https://www.nhs.uk/conditions/deep-vein-thrombosis-dvt/",
    "https://www.nhs.uk/mental-health/feelings-symptoms-behaviours/behaviours/help-for-suicidal-thoughts/",
    "https://www.nhs.uk/conditions/chest-pain/",
    "https://www.nhs.uk/conditions/shortness-of-breath/",
    "https://www.nhs.uk/conditions/abdominal-aortic-aneurysm/",
    "https://www.nhs.uk/conditions/sciatica/",
    "https://www.nhs.uk/conditions/osteoporosis/",
    "https://www.nhs.uk/conditions/slipped-disc/",
    "https://www.nhs.uk/conditions/anticoagulants/",
    "https://www.nhs.uk/conditions/pre-eclampsia/",
    # added with issue 15 (new flags)
    "https://www.nhs.uk/conditions/stroke/symptoms/",
    "https://www.nhs.uk/conditions/fainting/",
    "https://www.nhs.uk/conditions/epilepsy/what-to-do-if-someone-has-a-seizure-fit/",
    "https://www.nhs.uk/conditions/meningitis/",
    "https://www.nhs.uk/conditions/kidney-infection/",
    "https://www.nhs.uk/pregnancy/related-conditions/common-symptoms/vaginal-bleeding/",
    "https://www.nhs.uk/pregnancy/keeping-well/your-babys-movements/",
}


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "red_flags.yml"
    path.write_text(text, encoding="utf-8")
    return path


# ----------------------------------------------------------------- malformed files fail loudly, naming the file


@pytest.mark.parametrize(
    "text,message",
    [
        ("flags: [unclosed", "invalid YAML"),
        ("- just a list", "expected a mapping"),
        ("version: 1\nflags: []\n", "non-empty list"),
        (MINIMAL.replace("level: urgent", "level: severe"), "flags[0].level: must be one of"),
        (
            MINIMAL.replace('    source: {title: "NICE NG59", url: "https://www.nice.org.uk/guidance/ng59"}\n', ""),
            "flags[0].source: field required",
        ),
        (MINIMAL.replace("https://www.nice", "http://www.nice"), "https"),
        (
            MINIMAL.replace("@colour", "@color"),
            "flags[0].patterns[0]: pattern '@color spots|dots on @poss? back': unknown term list @color",
        ),
        (MINIMAL.replace("group: testing", "group: testing\n    colour: red"), "unknown key"),
        (MINIMAL.replace("effect: drop,", "effect: explode,"), "NEGATED_EXISTENCE.effect: must be one of"),
        (MINIMAL.replace("direction: FORWARD", "direction: SIDEWAYS"), "rules[0].direction: must be one of"),
        (
            MINIMAL.replace('phrases: ["purple spots"]\n    patterns: ["@colour spots|dots on @poss? back"]', ""),
            "needs at least one",
        ),
        (
            MINIMAL.replace(
                "version: 1",
                "version: 1\nsources:\n  ng59: {title: NICE NG59, url: 'https://www.nice.org.uk/guidance/ng59/'}",
            ),
            "flags[0].source: is none of the entries of 'sources'",
        ),
        (
            MINIMAL.replace('phrases: ["purple spots"]', 'phrases: ["purple spots"]\n    requires_any: [osteoporosis]'),
            "flags[0].requires_any: names unknown id 'osteoporosis'",
        ),
        (
            MINIMAL.replace('phrases: ["no"]}', 'phrases: ["no"], applies_to: [testing, cardiac]}'),
            "modifiers.rules[0].applies_to: names unknown flag, helper or group 'cardiac'",
        ),
        (
            MINIMAL.replace("category: NEGATED_EXISTENCE,", "category: NEGATED,"),
            "modifiers.rules[0].category: unknown category 'NEGATED'",
        ),
        (
            MINIMAL.replace(
                "terms:",
                "  - id: test_flag\n    group: x\n    level: urgent\n    source: {title: t, url: 'https://x.org'}\n    phrases: [x]\nterms:",
            ),
            "flags[1].id: duplicate id",
        ),
    ],
)
def test_malformed_lexicon_fails_with_the_file_name(tmp_path, text, message):
    path = write(tmp_path, text)
    with pytest.raises(LexiconError) as info:
        load_lexicon(path, tokenize=str.split)
    assert str(path) in str(info.value)
    assert message in str(info.value)


def test_missing_lexicon_names_the_file(tmp_path):
    with pytest.raises(LexiconError, match=re.escape(str(tmp_path / "nope.yml"))):
        load_lexicon(tmp_path / "nope.yml")


def test_the_detector_refuses_a_malformed_lexicon(tmp_path):
    path = write(tmp_path, MINIMAL.replace("level: urgent", "level: meh"))
    with pytest.raises(LexiconError, match=re.escape(str(path))):
        RedFlagDetector.from_yaml(path)


def test_a_minimal_lexicon_builds_a_working_detector(tmp_path):
    detector = RedFlagDetector.from_yaml(write(tmp_path, MINIMAL))
    assert detector.assess("there are purple spots on my back").level == "urgent"
    assert detector.assess("violet dots on her back").flags[0].id == "test_flag"
    assert detector.assess("no purple spots").level == "none"
    assert detector.assess("green spots").level == "none"


# ----------------------------------------------------------------- the real lexicon


@pytest.fixture(scope="module")
def lexicon(detector):
    return detector.lexicon


def test_default_path_is_the_repo_lexicon():
    assert DEFAULT_LEXICON_PATH == REPO / "content" / "red_flags.yml"


def test_every_flag_has_a_level_group_and_real_source(lexicon):
    ids = [f.id for f in lexicon.flags]
    assert len(ids) == len(set(ids))
    for flag in lexicon.flags:
        assert flag.level in ("emergency", "urgent", "professional")
        assert flag.group and flag.source.title
        assert flag.source.url in ALLOWED_SOURCE_URLS, flag.source.url
        assert flag.description


def test_the_spec_groups_are_covered(lexicon):
    groups = set(lexicon.groups)
    assert groups >= {
        "cauda_equina",
        "self_harm",
        "cardiac",
        "trauma",
        "infection",
        "malignancy",
        "fracture",
        "neurological",
        "vascular",
        "duration",
    }
    levels = {f.level for f in lexicon.flags}
    assert levels == {"emergency", "urgent", "professional"}


def test_docs_list_every_flag(lexicon):
    docs = (REPO / "docs" / "safety.md").read_text(encoding="utf-8")
    for flag in lexicon.flags:
        row = re.search(rf"^\| `{flag.id}` \| (\w+) \| (\w+) \|", docs, flags=re.M)
        assert row, f"docs/safety.md has no table row for {flag.id}"
        assert row.groups() == (flag.group, flag.level), flag.id


RED_FLAG_WORDINGS = [
    "I am numb down there and I cant pee",
    "I want to kill myself",
    "pins and needles in both legs and my legs are weak",
]


def test_what_counts_as_a_red_flag_comes_from_the_lexicon_file(tmp_path, detector):
    """The same detector code, given a lexicon without these wordings, raises nothing for them."""
    data = yaml.safe_load(DEFAULT_LEXICON_PATH.read_text(encoding="utf-8"))
    assert {"flags", "modifiers", "terms", "helpers", "info_topics", "shadows"} <= set(data)
    minimal = RedFlagDetector.from_yaml(write(tmp_path, MINIMAL))
    for text in RED_FLAG_WORDINGS:
        assert detector.assess(text).level == "emergency", text
        assert minimal.assess(text).level == "none", text


# ----------------------------------------------------------------- the pattern language


def tok(text):
    return text.replace("n't", " n't").split()


def test_compile_pattern_expands_alternatives_and_terms():
    terms = {"cant": ["ca|can n't|not", "unable to"], "pee": ["pee|wee"]}
    compiled = compile_pattern("@cant @pee", terms, tok)
    assert [
        {"LOWER": {"IN": ["ca", "can"]}},
        {"LOWER": {"IN": ["n't", "not"]}},
        {"LOWER": {"IN": ["pee", "wee"]}},
    ] in compiled
    assert [{"LOWER": "unable"}, {"LOWER": "to"}, {"LOWER": {"IN": ["pee", "wee"]}}] in compiled
    assert len(compiled) == 2


def test_compile_pattern_optional_wildcard_number_and_lemma():
    compiled = compile_pattern("my? _ %num ~fall", {}, tok)
    assert compiled == [[{"LOWER": "my", "OP": "?"}, {}, {"LIKE_NUM": True}, {"LEMMA": {"IN": ["fall"]}}]]
    assert compile_pattern("unable+to pee", {}, tok) == [[{"LOWER": "unable"}, {"LOWER": "to"}, {"LOWER": "pee"}]]


@pytest.mark.parametrize("pattern", ["", "my?", "@missing", "a||b"])
def test_compile_pattern_refuses_bad_patterns(pattern):
    with pytest.raises(PatternError):
        compile_pattern(pattern, {}, tok)
