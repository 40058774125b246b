"""Which topic a turn is about, given what came before.

Rasa's rules send every question to `action_answer`; this module decides the
topic from the intent, the entities, the words of the message and the
conversation so far (the `subject` and `last_topic` slots). It is pure, so
follow-ups can be tested without a server:

- "what about for sciatica?" names its own subject: condition.sciatica;
- "is it safe?" after deep tissue keeps its own topic (a facet) and carries
  deep tissue as the context whose cautions the answer adds;
- "will it help?" after sciatica reuses the subject (content/routing.yml);
- "tell me more" answers the last topic in more detail;
- two named conditions ("sciatica and a slipped disc?"), or an unsure
  classifier torn between two questions, give a clarifying question instead;
  two named types answer the first and offer the second;
- a classifier that is unsure but the message names one type or condition
  answers that type or condition;
- a message naming three or more types, or asking which types exist, gets
  the overview; one asking for a massage for pregnant women gets the prenatal
  type rather than the pregnancy condition (content/routing.yml).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Iterable, Mapping, Optional, Sequence

from bot.core.config import Settings, current, or_current
from bot.core.entities import find_in_text, normalise, without_phrases, words
from bot.core.topics import Route, routes, topics
from bot.core.training_data import training_texts

TELL_MORE = "tell_more"
FALLBACK_INTENT = "nlu_fallback"


@dataclass(frozen=True)
class DialogueConfig:
    subjects: tuple[str, ...]
    facets: frozenset[str]
    reuse_subject: frozenset[str]
    reuse_subject_if_referred: frozenset[str]
    refer_back_words: frozenset[str]
    cross_entities: tuple[str, ...]
    cross_scan: tuple[str, ...]
    condition_first: frozenset[str]
    clarify_multiple: frozenset[str]
    body_areas: tuple[str, ...]
    trust_subject_below: float
    domain_words: frozenset[str]
    min_top: float
    min_second: float
    overview_kinds: frozenset[str]
    overview_min_named: int
    asks_for_all: tuple[re.Pattern, ...]
    type_for_condition: Mapping[str, str]
    health_condition_first: HealthConditionFirst


@dataclass(frozen=True)
class HealthConditionFirst:
    """Intents whose question gives way to a health condition the message names (content/routing.yml)."""

    topic: str
    intents: frozenset[str]
    words: frozenset[str]
    phrases: tuple[str, ...]

    def named_in(self, text: str) -> bool:
        said = words(text)
        joined = f" {' '.join(said)} "
        return _says_any(said, self.words) or any(f" {p} " in joined for p in self.phrases)


def _says_any(said: Sequence[str], listed: frozenset[str]) -> bool:
    """Whether any word is listed, or starts with a listed word of five letters or more ("massag": "massaging")."""
    stems = tuple(w for w in listed if len(w) >= 5)
    return any(w in listed or w.startswith(stems) for w in said)


def config(settings: Optional[Settings] = None) -> DialogueConfig:
    """content/routing.yml's `dialogue` section, read once per settings."""
    s = or_current(settings)
    return s.cached("dialogue", lambda: _dialogue_config(s.read_yaml(s.routing_file)["dialogue"]))


def _dialogue_config(raw: dict) -> DialogueConfig:
    return DialogueConfig(
        subjects=tuple(raw["subjects"]),
        facets=frozenset(raw["facets"]),
        reuse_subject=frozenset(raw["reuse_subject"]),
        reuse_subject_if_referred=frozenset(raw["reuse_subject_if_referred"]),
        refer_back_words=frozenset(raw["refer_back_words"]),
        cross_entities=tuple(raw["cross_entities"]),
        cross_scan=tuple(raw["cross_scan"]),
        condition_first=frozenset(raw["condition_first"]),
        clarify_multiple=frozenset(raw["clarify_multiple"]),
        body_areas=tuple(raw.get("body_areas", ())),
        trust_subject_below=float(raw["trust_subject_below"]),
        domain_words=frozenset(str(w).lower() for w in raw["domain_words"]),
        min_top=float(raw["clarify"]["min_top"]),
        min_second=float(raw["clarify"]["min_second"]),
        overview_kinds=frozenset(raw["overview"]["kinds"]),
        overview_min_named=int(raw["overview"]["min_named"]),
        asks_for_all=tuple(re.compile(str(p), re.IGNORECASE) for p in raw["overview"]["asks_for_all"]),
        type_for_condition=dict(raw["type_for_condition"]),
        health_condition_first=_health_condition_first(raw["health_condition_first"]),
    )


def _health_condition_first(raw: dict) -> HealthConditionFirst:
    listed = [str(w).lower() for w in raw["words"]]
    return HealthConditionFirst(
        topic=str(raw["topic"]),
        intents=frozenset(raw["intents"]),
        words=frozenset(w for w in listed if " " not in w),
        phrases=tuple(w for w in listed if " " in w),
    )


@dataclass(frozen=True)
class Resolution:
    """What to answer: a topic (maybe with a subject as context), more detail, or a question back."""

    topic: Optional[str] = None
    context: Optional[str] = None
    clarify: tuple[str, ...] = ()
    detail: bool = False
    also: tuple[str, ...] = ()  # other subjects the message named, offered first as buttons


def _prefix_of(entity: str) -> Optional[str]:
    for route in routes().values():
        if route.entity == entity and route.prefix:
            return route.prefix
    return None


def entity_topics(entity: str, raw_values: Iterable[str]) -> list[str]:
    """Known topics for the extracted values of one entity, normalised, without repeats."""
    prefix = _prefix_of(entity)
    if prefix is None:
        return []
    found: list[str] = []
    for raw in raw_values:
        value = normalise(entity, str(raw))
        topic = f"{prefix}.{value}" if value else None
        if topic in topics() and topic not in found:
            found.append(topic)
    return found


def is_subject(topic: Optional[str]) -> bool:
    return bool(topic) and topic.split(".", 1)[0] in config().subjects


def next_subject(topic: str, previous: Optional[str]) -> Optional[str]:
    """The conversation's subject after answering `topic`: facets keep it, other topics end it."""
    if is_subject(topic):
        return topic
    if topic in config().facets:
        return previous
    return None


def _scanned(entity: str, text: str) -> list[str]:
    prefix = _prefix_of(entity)
    return [f"{prefix}.{v}" for v in find_in_text(entity, text) if f"{prefix}.{v}" in topics()] if prefix else []


def _subject_topic(route: Route, entities: Mapping[str, Sequence[str]], text: str) -> list[str]:
    return entity_topics(route.entity, entities.get(route.entity, [])) or _scanned(route.entity, text)


def _named_subject(entities: Mapping[str, Sequence[str]], text: str) -> Optional[str]:
    """The type, technique or condition a message names, from the extractor or else from its words."""
    for entity in config().cross_entities:
        for topic in entity_topics(entity, entities.get(entity, [])):
            if is_subject(topic):
                return topic
    return next((t for t in _named_subjects({}, text) if is_subject(t)), None)


def _named_subjects(entities: Mapping[str, Sequence[str]], text: str) -> list[str]:
    """Types and conditions a message names, from the extractor or else from its words."""
    named = [t for e in config().cross_scan for t in entity_topics(e, entities.get(e, []))]
    return named or [t for e in config().cross_scan for t in _scanned(e, text)]


def _areas_last(named: Sequence[str]) -> tuple[list[str], bool]:
    """A condition named with the body area it is in ("a herniated disc in my neck") is that condition.

    The area (upper back and neck, low back) says where, the condition says what: with exactly one
    condition that is not an area, the areas move behind it and no clarifying question is asked
    (the second value says whether one may be).
    """
    areas = config().body_areas
    specific = [t for t in named if t not in areas]
    if len(specific) == 1:
        return [*specific, *(t for t in named if t in areas)], False
    return list(named), True


def _conditions_outside_phrases(route: Route, entities: Mapping[str, Sequence[str]], text: str) -> list[str]:
    """Conditions named outside the intent's own multi-word names.

    "my shoulders are rounded" names a posture: the extractor may still tag
    "shoulders" as a condition, so a tagged word found only inside such a name
    is dropped, as the words are when scanned.
    """
    rest = without_phrases(route.entity or "", text).lower()
    lowered = text.lower()
    raw = [v for v in entities.get("condition", []) if v.lower() not in lowered or v.lower() in rest]
    return entity_topics("condition", raw) or _scanned("condition", rest)


def _refers_back(text: str) -> bool:
    return bool(set(words(text)) & config().refer_back_words)


def _points_back(subject: Optional[str], text: str) -> bool:
    return is_subject(subject) and _refers_back(text)


def _reuses_subject(intent: str, route: Route, subject: str, text: str) -> bool:
    cfg = config()
    if intent in cfg.reuse_subject:
        return subject.startswith(route.prefix + ".")
    if intent in cfg.reuse_subject_if_referred:
        return _refers_back(text)
    return False


def _named_of_kind(prefix: str, entities: Mapping[str, Sequence[str]], text: str) -> list[str]:
    """Every topic of one kind ("type") a message names, extracted or found in its words."""
    entity = next((r.entity for r in routes().values() if r.entity and r.prefix == prefix), None)
    if entity is None:
        return []
    return list(dict.fromkeys([*entity_topics(entity, entities.get(entity, [])), *_scanned(entity, text)]))


def _overview_instead(topic: str, entities: Mapping[str, Sequence[str]], text: str) -> Optional[str]:
    """The kind's overview when a message about one thing of it names many or asks about them all."""
    cfg = config()
    prefix = topic.split(".", 1)[0]
    overview = f"{prefix}.overview"
    if prefix not in cfg.overview_kinds or overview not in topics() or topic == overview:
        return None
    if len(_named_of_kind(prefix, entities, text)) >= cfg.overview_min_named or any(
        p.search(text) for p in cfg.asks_for_all
    ):
        return overview
    return None


def _type_instead(topic: str, entities: Mapping[str, Sequence[str]], text: str) -> Optional[str]:
    """The type made for a condition, when a message answered as that condition names the type."""
    for type_topic, condition in config().type_for_condition.items():
        if topic == condition and type_topic in _named_of_kind(type_topic.split(".", 1)[0], entities, text):
            return type_topic
    return None


def _more_specific(resolution: Resolution, entities: Mapping[str, Sequence[str]], text: str) -> Resolution:
    """The rules that look at the whole message after a topic is chosen: overviews, types made for a condition."""
    topic = resolution.topic
    if not topic or not text:
        return resolution
    better = _type_instead(topic, entities, text) or _overview_instead(topic, entities, text)
    return replace(resolution, topic=better, also=()) if better else resolution


def resolve(
    intent: str,
    entities: Mapping[str, Sequence[str]],
    text: str = "",
    subject: Optional[str] = None,
    last_topic: Optional[str] = None,
    confidence: float = 1.0,
) -> Resolution:
    """The topic of a question turn, or an empty Resolution when the intent is not a question."""
    if intent in (TELL_MORE, "ask_topic"):  # more of the last topic, or a button's own choice
        return _resolve(intent, entities, text, subject, last_topic, confidence)
    return _more_specific(_resolve(intent, entities, text, subject, last_topic, confidence), entities, text)


def _resolve(
    intent: str,
    entities: Mapping[str, Sequence[str]],
    text: str,
    subject: Optional[str],
    last_topic: Optional[str],
    confidence: float,
) -> Resolution:
    known = topics()
    route = routes().get(intent)
    facet = route is not None and not route.entity and route.default in config().facets
    if confidence < config().trust_subject_below and route is not None and intent != "ask_topic" and not facet:
        named = list(dict.fromkeys(_named_subjects(entities, text)))
        if len(named) == 1:
            return Resolution(topic=named[0])
    if intent == TELL_MORE:
        if last_topic in known and last_topic not in known.unsourced:
            return Resolution(topic=last_topic, detail=True)
        return Resolution(topic="about.assistant")
    if route is None:
        return Resolution()
    also: tuple[str, ...] = ()
    if not route.entity or not route.prefix:
        topic = route.topic(entities.get(route.entity, []) if route.entity else [])
    else:
        named = _subject_topic(route, entities, text)
        if named and _points_back(subject, text) and not _scanned(route.entity, text):
            # a value the classifier inferred (the words name none) gives way to the subject that
            # "would a massage help with it?" points back to
            named = []
        if intent in config().condition_first:
            # "rounded shoulders" names a posture, not the shoulders: the intent's own multi-word names are
            # taken out before looking for a body area or condition in the words
            conditions = _conditions_outside_phrases(route, entities, text)
            named = conditions or named
        named, may_clarify = _areas_last(named)
        if len(named) >= 2 and may_clarify and intent in config().clarify_multiple:
            return Resolution(clarify=tuple(named[:2]))
        also = tuple(named[1:])
        if named:
            topic = named[0]
        else:
            crossed = [
                t for e in config().cross_entities if e != route.entity for t in entity_topics(e, entities.get(e, []))
            ]
            if not crossed:
                crossed = [t for e in config().cross_scan if e != route.entity for t in _scanned(e, text)]
            if crossed:
                topic = crossed[0]
            elif subject and is_subject(subject) and _reuses_subject(intent, route, subject, text):
                topic = subject
            else:
                topic = route.default
    first = config().health_condition_first
    if intent in first.intents and first.named_in(text):
        topic = first.topic
    context = None
    if topic in config().facets:
        context = _named_subject(entities, text) or (subject if is_subject(subject) else None)
    return Resolution(topic=topic, context=context, also=also if route.entity and route.prefix else ())


def _offerable(topic: Optional[str]) -> bool:
    """A topic with sourced facts: one the assistant can answer or offer in a clarifying question."""
    return bool(topic) and topic not in topics().unsourced


def resolve_unsure(
    ranking: Sequence[Mapping],
    entities: Mapping[str, Sequence[str]],
    text: str = "",
    subject: Optional[str] = None,
) -> Resolution:
    """For a message the classifier was unsure about: a clarifying question, a rescue, or nothing.

    Clarify when the two best intents are both questions on different topics
    and confident enough; otherwise, if the message names exactly one subject
    (a type, technique, condition or benefit the extractor found, or a type or
    condition named in its words), answer that; otherwise, if the best intent
    is a question confident enough to clarify with and no other question comes
    close enough to be offered beside it, answer it: there is one reading, so
    asking to rephrase would only lose the person; otherwise give up (the
    caller asks the person to rephrase).
    """
    cfg = config()
    ranked = [
        (str(r.get("name")), float(r.get("confidence") or 0.0)) for r in ranking if r.get("name") != FALLBACK_INTENT
    ]
    # each reading resolved once, for the clarifying question and the one-reading answer alike;
    # the ranking is in descending order, so the first rival is the second-best intent
    best: Optional[Resolution] = None
    rivals: list[Optional[str]] = []
    if ranked and ranked[0][1] >= cfg.min_top:
        best = resolve(ranked[0][0], entities, text, subject)
        rivals = [resolve(name, entities, text, subject).topic for name, c in ranked[1:3] if c >= cfg.min_second]
        if rivals and _offerable(best.topic) and _offerable(rivals[0]) and best.topic != rivals[0]:
            return Resolution(clarify=(best.topic, rivals[0]))
    named = [t for e in cfg.cross_entities for t in entity_topics(e, entities.get(e, []))] or _named_subjects(
        entities, text
    )
    if len(set(named)) == 1:
        return _more_specific(Resolution(topic=named[0]), entities, text)
    if best is not None and _offerable(best.topic) and all(r == best.topic or not _offerable(r) for r in rivals):
        return best
    return Resolution()


NONSENSE_INTENT = "gibberish"


def known_words() -> frozenset[str]:
    """Every word of the training examples except the nonsense ones: the language the assistant has seen."""
    s = current()
    return s.cached(
        "known_words",
        lambda: frozenset(
            w for text in training_texts(s.nlu_dir, skip=frozenset({NONSENSE_INTENT})) for w in words(text)
        ),
    )


def is_plain_language(text: str) -> bool:
    """At least half of the words are ones the assistant has seen: a real sentence, not keyboard mash.

    Without the training data (a deployment that did not ship data/nlu) nothing
    counts as plain language, so an unsure message is always asked to be rephrased.
    """
    ws = words(text)
    return bool(ws) and bool(known_words()) and sum(w in known_words() for w in ws) * 2 >= len(ws)


def mentions_the_domain(text: str) -> bool:
    """Whether a message talks about massage or backs at all (a domain word, or any named subject)."""
    if _says_any(words(text), config().domain_words):
        return True
    kinds = {route.entity for route in routes().values() if route.entity and route.prefix}
    return any(find_in_text(kind, text) for kind in kinds)
