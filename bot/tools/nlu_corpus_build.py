"""`make nlu-corpus`: the train split of the question corpus as Rasa NLU training data.

The corpus (data/nlu_corpus, bot/core/topic_corpus.py) stays the source: this
script writes data/nlu/corpus.yml from it, and a test fails when the file is
not what the script would write now, so nobody edits the output by hand.

Topics become intents through content/routing.yml read backwards. A topic such
as `type.swedish` is the intent `ask_massage_type` *with the entity*
massage_type=swedish, so such an example is only useful when the message
names the thing: its span is found with the same synonym lists the dialogue
uses (data/nlu/synonyms.yml through bot/core/entities.py: exact spellings on word
boundaries, longest first, then one misspelt word of five letters or more, then
the describing patterns such as "for years"). A message that names nothing of
its kind is written under the intent that answers that topic without an entity
when there is one (`benefit.pain_relief` is also `ask_condition` naming no
condition). Otherwise it goes in a block of its own under the intent with
the topic in the block's metadata: "why do they press on one spot for a
minute" is ask_massage_type about trigger point therapy without naming it,
and the intent classifier (bot.rasa.topic_classifier) learns that topic from
the metadata, where an unannotated example would teach `type.overview`.

Which mentions are annotated:

- types and conditions (named things, the kinds the dialogue also looks for in
  any message: routing.yml `cross_scan`) in every example, whatever its intent;
- benefits and techniques, which are everyday words ("pain", "relax",
  "circles"), only in examples of their own intent (ask_benefit,
  ask_technique), as in the hand-written data: annotating every "pain" in a
  pressure question as benefit=pain_relief would move those questions to the
  benefit.

Examples are left out when they repeat a hand-written training example, when
they are the same as or a near copy of a held-out or development message
(tests/nlu/heldout.yml, tests/nlu/dev.yml: those sets must stay unseen), when
two train batches give the same words different topics, and when an
annotation would map a spelling to a different value than the synonym lists
(Rasa would warn and overwrite).
"""

from __future__ import annotations

import argparse
import difflib
import json
import re
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Optional, Sequence

import yaml

from bot.core.config import current
from bot.core.entities import FILLER, FUZZY_CUTOFF, FUZZY_MIN_CHARS, _patterns, _synonyms, vocabulary
from bot.core.topic_corpus import Message, split_messages
from bot.core.topics import routes, topics
from bot.tools.labelled import DEV_FILE, HELDOUT_FILE, NLU_DIR, labelled, normalised

OUTPUT = NLU_DIR / "corpus.yml"
NEAR_COPY = 0.9  # as tests/nlu/test_heldout_separation.py
# Conversation topics are answered by rules (data/rules/chat.yml), not through routing.yml.
CHAT_INTENTS = {
    "chat.greet": "greet",
    "chat.goodbye": "goodbye",
    "chat.thanks": "thanks",
    "chat.bot_challenge": "bot_challenge",
    "chat.human_handoff": "human_handoff",
    "chat.out_of_scope": "out_of_scope",
    "chat.fallback": "gibberish",
}
ALWAYS_ANNOTATED = ("massage_type", "condition")
_WORD = re.compile(r"[a-z0-9]+(?:['-][a-z0-9]+)*", re.IGNORECASE)
_ANNOTATION = re.compile(r"\[([^\]]+)\](?:\(([^)]*)\)|\{([^}]*)\})")


@dataclass(frozen=True)
class Target:
    """How one topic is trained: an intent, and the entity value the message must name (if any)."""

    intent: str
    entity: Optional[str] = None
    value: Optional[str] = None


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    entity: str
    value: str


@dataclass
class Built:
    """The generated examples per intent, and what was left out and why."""

    examples: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    dropped: Counter = field(default_factory=Counter)
    dropped_examples: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    by_topic: Counter = field(default_factory=Counter)
    # (intent, topic) -> examples that name no value of the kind their topic needs ("lift me spirits", mood)
    unnamed: dict[tuple[str, str], list[str]] = field(default_factory=lambda: defaultdict(list))

    def drop(self, reason: str, message: Message) -> None:
        self.dropped[reason] += 1
        self.dropped_examples[reason].append(f"{message.topic}: {message.text}")


def targets() -> dict[str, list[Target]]:
    """topic id -> the ways to train it, those needing an entity first (content/routing.yml read backwards)."""
    table: dict[str, list[Target]] = defaultdict(list)
    for intent, route in routes().items():
        if intent == "ask_topic":  # only the assistant's own buttons send it
            continue
        if route.entity and route.prefix:
            for topic in topics().all:
                if topic.startswith(route.prefix + ".") and topic != route.default:
                    table[topic].append(Target(intent, route.entity, topic.split(".", 1)[1]))
        table[route.default].append(Target(intent))
    for topic, intent in CHAT_INTENTS.items():
        table[topic].append(Target(intent))
    return {t: sorted(ways, key=lambda w: w.entity is None) for t, ways in table.items()}


def spellings(entity: str) -> dict[tuple[str, ...], str]:
    """Word sequences that name a value of `entity` (the value itself and its synonyms, with and without filler)."""
    return current().cached(("corpus_spellings", entity), lambda: _spellings(entity))


def _spellings(entity: str) -> dict[tuple[str, ...], str]:
    """The dialogue's own spellings (bot.core.entities.vocabulary), as word tuples.

    A name shortened by its filler that is another kind's full name is not this
    kind's: "pregnancy massage" names the prenatal type, but "pregnancy" alone is
    the condition, as the dialogue reads it. Taking the vocabulary itself keeps
    the two from disagreeing again.
    """
    vocab = vocabulary(entity)
    table: dict[tuple[str, ...], str] = {}
    for value in sorted(vocab.values):
        for spelling in [value.replace("_", " "), *_synonyms().get(value, [])]:
            ws = tuple(w.lower() for w in _WORD.findall(spelling.replace("_", " ")))
            for key in (ws, tuple(w for w in ws if w not in FILLER)):
                if key and vocab.spellings.get(" ".join(key)) == value:
                    table.setdefault(key, value)
    return table


def find_spans(text: str, entities: Sequence[str]) -> list[Span]:
    """Mentions of the values of `entities` in `text`, earlier entities first, without overlaps.

    The same matching as bot.core.entities.find_in_text (so training and the dialogue
    agree on what a message names), but keeping character offsets.
    """
    tokens = [(m.start(), m.end(), m.group().lower()) for m in _WORD.finditer(text.replace("_", " "))]
    taken = [False] * len(tokens)
    spans: list[Span] = []
    for entity in entities:
        table = spellings(entity)
        for key in sorted(table, key=lambda k: (-len(k), k)):
            n = len(key)
            for i in range(len(tokens) - n + 1):
                if not any(taken[i : i + n]) and tuple(t[2] for t in tokens[i : i + n]) == key:
                    spans.append(Span(tokens[i][0], tokens[i + n - 1][1], entity, table[key]))
                    taken[i : i + n] = [True] * n
        single = sorted(k[0] for k in table if len(k) == 1 and len(k[0]) >= FUZZY_MIN_CHARS)
        for i, (start, end, word) in enumerate(tokens):
            if taken[i] or len(word) < FUZZY_MIN_CHARS or word in FILLER:
                continue
            stem = next((s for s in single if word.startswith(s)), None)
            close = [stem] if stem else difflib.get_close_matches(word, single, n=1, cutoff=FUZZY_CUTOFF)
            if close:
                spans.append(Span(start, end, entity, table[(close[0],)]))
                taken[i] = True
    return sorted(spans, key=lambda s: s.start)


def pattern_span(text: str, entity: str, value: str) -> Optional[Span]:
    """Where a describing pattern of `value` ("for years") matches, when the message names it that way."""
    if value not in vocabulary(entity).values:
        return None
    for pattern in _patterns().get(value, []):
        match = pattern.search(text)
        if match and match.group().strip():
            return Span(match.start(), match.end(), entity, value)
    return None


def annotate(text: str, spans: Iterable[Span]) -> str:
    """Rasa's inline annotation: [span](entity) when the span is the value, else [span]{"entity", "value"}."""
    out, last = [], 0
    for span in sorted(spans, key=lambda s: s.start):
        surface = text[span.start : span.end]
        out.append(text[last : span.start])
        if surface == span.value:
            out.append(f"[{surface}]({span.entity})")
        else:
            out.append(f"[{surface}]" + json.dumps({"entity": span.entity, "value": span.value}, separators=(",", ":")))
        last = span.end
    out.append(text[last:])
    return "".join(out)


def clean(text: str) -> str:
    """One line, no characters Rasa's example syntax would read as annotations."""
    text = " ".join(text.split())
    return text.replace("[", "(").replace("]", ")").replace("{", "(").replace("}", ")")


def existing_synonyms(data_dir: Path = NLU_DIR, skip: Path = OUTPUT) -> dict[str, str]:
    """spelling (lower case) -> value, from the synonym lists and the annotations of the hand-written data."""
    table: dict[str, str] = {}
    for path in sorted(data_dir.rglob("*.yml")):
        if path == skip:
            continue
        for block in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("nlu", []):
            if "synonym" in block:
                for line in str(block["examples"]).splitlines():
                    if line.strip().startswith("- "):
                        table.setdefault(line.strip()[2:].strip().lower(), str(block["synonym"]))
            elif "intent" in block:
                for match in _ANNOTATION.finditer(str(block["examples"])):
                    if match.group(3):
                        try:
                            value = json.loads("{" + match.group(3) + "}").get("value")
                        except ValueError:
                            value = None
                        if value:
                            table.setdefault(match.group(1).lower(), str(value))
    return table


def build(messages: Sequence[Message], data_dir: Path = NLU_DIR) -> Built:
    """Rasa examples per intent from corpus messages, with the reasons for every message left out."""
    built = Built()
    ways = targets()
    own_entities = {
        r.entity: intent for intent, r in routes().items() if r.entity and r.prefix and intent != "ask_topic"
    }
    handwritten = {normalised(t) for t in _handwritten_texts(data_dir)}
    unseen = [normalised(e.text) for path in (HELDOUT_FILE, DEV_FILE) for e in labelled(path)]
    unseen_set = set(unseen)
    topics_of: dict[str, set[str]] = defaultdict(set)
    for m in messages:
        topics_of[normalised(m.text)].add(m.topic)
    synonyms = existing_synonyms(data_dir)
    seen: set[str] = set()
    for m in messages:
        key = normalised(m.text)
        text = clean(m.text)
        if not key:
            if m.topic != "chat.fallback":
                built.drop("no words", m)
                continue
        if len(topics_of[key]) > 1:
            built.drop("same words, different topics", m)
            continue
        if key in seen:
            built.drop("repeats a corpus message", m)
            continue
        seen.add(key)
        if key in handwritten:
            built.drop("already a hand-written example", m)
            continue
        if key in unseen_set or (len(key) >= 12 and difflib.get_close_matches(key, unseen, n=1, cutoff=NEAR_COPY)):
            built.drop("held-out or dev message (or a near copy)", m)
            continue
        options = ways.get(m.topic)
        if not options:
            built.drop("topic has no intent", m)
            continue
        chosen = _annotated_way(text, options, own_entities)
        if chosen is None:
            # no listed name for what it asks about: the topic itself is the label (bot.rasa.topic_classifier)
            built.unnamed[(options[0].intent, m.topic)].append(annotate(text, []))
            built.by_topic[m.topic] += 1
            continue
        way, spans = chosen
        if any(
            synonyms.setdefault(text[s.start : s.end].lower(), s.value) != s.value
            for s in spans
            if text[s.start : s.end].lower() != s.value
        ):
            built.drop("spelling mapped to another value elsewhere", m)
            continue
        built.examples[way.intent].append(annotate(text, spans))
        built.by_topic[m.topic] += 1
    return built


def _annotated_way(
    text: str, options: Sequence[Target], own_entities: dict[str, str]
) -> Optional[tuple[Target, list[Span]]]:
    """The first intent (and entity value) that can carry this message, with the entity spans it needs.

    A way that routes by an entity value is taken only when the message names
    that value, found by the lists or by a pattern that overlaps no other span."""
    for way in options:
        kinds = [way.entity] if way.entity else []
        own_intent_kind = [e for e, intent in own_entities.items() if intent == way.intent]
        kinds += [e for e in (*own_intent_kind, *ALWAYS_ANNOTATED) if e not in kinds]
        spans = find_spans(text, kinds)
        if way.entity and not any(s.entity == way.entity and s.value == way.value for s in spans):
            extra = pattern_span(text, way.entity, way.value)
            if extra is None or any(s.start < extra.end and extra.start < s.end for s in spans):
                continue
            spans.append(extra)
        return way, spans
    return None


def _handwritten_texts(data_dir: Path) -> list[str]:
    """Training texts of every NLU file except the generated one."""
    texts = []
    for path in sorted(data_dir.rglob("*.yml")):
        if path != OUTPUT:
            texts.extend(training_texts_of(path))
    return texts


def training_texts_of(path: Path) -> list[str]:
    out = []
    for block in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("nlu", []):
        if "intent" in block:
            for line in str(block["examples"]).splitlines():
                if line.strip().startswith("- "):
                    out.append(_ANNOTATION.sub(r"\1", line.strip()[2:].strip()))
    return out


def render(built: Built, batches: Sequence[str]) -> str:
    """The YAML file: a header saying where it comes from, then one block per intent in a stable order."""
    lines = [
        'version: "3.1"',
        "# GENERATED by `make nlu-corpus` (python -m bot.tools.nlu_corpus_build) from the train split of",
        "# data/nlu_corpus (splits.yml). Do not edit: change the corpus or the synonym lists and regenerate.",
        f"# Batches: {', '.join(batches)}.",
        "nlu:",
    ]
    for intent in sorted(built.examples):
        lines += [f"  - intent: {intent}", "    examples: |"]
        lines += [f"      - {example}" for example in built.examples[intent]]
    for (intent, topic), examples in sorted(built.unnamed.items()):
        lines += [f"  - intent: {intent}", "    metadata:", f"      topic: {topic}", "    examples: |"]
        lines += [f"      - {example}" for example in examples]
    return "\n".join(lines) + "\n"


def generate(output: Path = OUTPUT) -> tuple[str, Built]:
    messages = split_messages("train", known_topics=frozenset(topics().all))
    built = build(messages)
    return render(built, sorted({m.batch for m in messages})), built


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.tools.nlu_corpus_build", description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if data/nlu/corpus.yml is not up to date")
    parser.add_argument("--show-dropped", action="store_true", help="list every message left out, by reason")
    args = parser.parse_args(argv)
    text, built = generate()
    if args.check:
        current = OUTPUT.read_text(encoding="utf-8") if OUTPUT.exists() else ""
        if current != text:
            print(f"{OUTPUT} is out of date: run `make nlu-corpus`", file=sys.stderr)
            return 1
        print(f"{OUTPUT}: up to date")
        return 0
    OUTPUT.write_text(text, encoding="utf-8")
    kept = sum(len(v) for v in (*built.examples.values(), *built.unnamed.values()))
    print(
        f"{OUTPUT}: {kept} examples over {len(built.examples)} intents; left out {sum(built.dropped.values())}: "
        + ", ".join(f"{reason} {n}" for reason, n in built.dropped.most_common())
    )
    if args.show_dropped:
        for reason, texts in built.dropped_examples.items():
            print(f"\n## {reason}")
            print("\n".join(f"  {t}" for t in texts))
    return 0


if __name__ == "__main__":
    sys.exit(main())
