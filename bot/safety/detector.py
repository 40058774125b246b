"""The red-flag detector: medspaCy TargetMatcher + ConText over a blank English pipeline.

One call, :meth:`RedFlagDetector.assess`, per user message:

1. normalise the text (curly quotes, lower case, texting spellings such as
   "nite" or "shiverin"; a map keeps every offset pointing into the original);
2. find flag phrases, helper terms, info topics and idioms with medspaCy
   ``TargetMatcher`` objects (one per level, so a long professional phrase can
   never hide a short emergency one), and the flags' co-occurrence rules (a
   body area and a deficit in one clause: "my privates r numb", see
   :mod:`bot.safety.cooccur`);
3. forget flags that sit inside an idiom ("hay fever");
4. run medspaCy ``ConText`` with the lexicon's modifier rules (plus medspaCy's
   own negation rules that suit chat) and apply each modifier category's effect:
   negation drops, history that is over drops (unless the past event is the
   red flag), hypotheticals and general questions drop and mark an info
   question, someone else's history drops, uncertainty never drops;
5. check the flags that need a companion (``requires_any``);
6. the assessment's level is the highest level among the surviving flags.

Everything the detector knows lives in content/red_flags.yml.
"""

from __future__ import annotations

import gc
from collections import defaultdict
from contextlib import contextmanager
from pathlib import Path
from typing import Dict, Optional, Sequence, Tuple

from . import compat
from .assessment import Assessment, DroppedFlag, Flag, Found, assemble
from .context_effects import SPAN_GROUP, make_on_modifies
from .cooccur import CoOccurrenceMatcher
from .fastmatch import TokenPatternIndex
from .lexicon import (
    DEFAULT_LEXICON_PATH,
    FlagSpec,
    Lexicon,
    LexiconError,
    Target,
    load_lexicon,
)
from .normalise import Normaliser, vocabulary_of
from .pipeline import build_nlp, import_medspacy

_NEVER = "__never__"

# the detector's answer, importable from here as before
__all__ = ["Assessment", "DroppedFlag", "Flag", "RedFlagDetector", "SPAN_GROUP"]


@contextmanager
def _gc_paused():
    """Building allocates hundreds of thousands of small objects; in a Rasa process
    (TensorFlow loaded) every full garbage-collector pass walks millions of objects,
    and the build used to trigger several of them. Collection waits until the build
    is done, then runs once, here at start-up, rather than as a pause of a few
    hundred milliseconds on the first messages a person sends."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
            gc.collect()


def _lexicon_strings(lex: Lexicon):
    """Every phrase, pattern and term of the lexicon (its vocabulary, for the normaliser)."""
    for entries in lex.terms.values():
        yield from entries
    for spec in [*lex.flags, *lex.helpers, *lex.info_topics, *lex.shadows]:
        yield from spec.phrases
        yield from spec.patterns
    yield from lex.elements
    for rule in lex.modifier_rules:
        yield from rule.phrases
        yield from rule.patterns


class RedFlagDetector:
    """Rule-based red-flag detector; build it once (under a second once spaCy is imported), then call
    :meth:`assess` (well under 1 ms)."""

    def __init__(self, lexicon_path: str | Path | None = None):
        with _gc_paused():
            self._build(lexicon_path)

    def _build(self, lexicon_path: str | Path | None) -> None:
        TargetMatcher, TargetRule, ConText, ConTextRule, default_rules_path = import_medspacy()
        from medspacy.common.util import prune_overlapping_matches

        self._prune = prune_overlapping_matches
        self._TargetRule = TargetRule
        self._ConTextRule = ConTextRule
        self.nlp = build_nlp()
        tokenizer = self.nlp.tokenizer
        self.lexicon: Lexicon = load_lexicon(
            lexicon_path if lexicon_path is not None else DEFAULT_LEXICON_PATH,
            tokenize=lambda s: [t.text for t in tokenizer(s)],
        )
        lex = self.lexicon
        self._flags: Dict[str, FlagSpec] = {f.id: f for f in lex.flags}
        self._helpers: Dict[str, Target] = {h.id: h for h in lex.helpers}
        self._normaliser = Normaliser(
            lex.spellings, vocabulary_of(_lexicon_strings(lex)), in_context=lex.spellings_in_context
        )

        # Literal phrases: medspaCy TargetMatchers, one per level (a PhraseMatcher is
        # cheap whatever the number of phrases). Separate matchers because medspaCy
        # prunes overlapping matches inside one matcher (longest wins), which must
        # never let a lower level (or a helper) hide a higher one.
        # Token patterns: every flag's, helper's, info topic's and idiom's patterns
        # in one index keyed by their first words (bot.safety.fastmatch), one pass per message,
        # its matches pruned per flag exactly as a medspaCy TargetMatcher per flag
        # would (longest of overlapping matches). A spaCy Matcher costs about 17
        # microseconds a call however few patterns it holds; one per flag made the
        # token patterns most of the cost of a message and of building the detector.
        self._patterns = TokenPatternIndex()
        self._flag_matchers = self._tier(TargetMatcher, "red_flags", lex.flags, by_level=True)
        self._helper_matchers = self._tier(TargetMatcher, "red_flag_helpers", lex.helpers)
        self._info_matchers = self._tier(TargetMatcher, "red_flag_info", lex.info_topics)
        self._shadow_matchers = self._tier(TargetMatcher, "red_flag_shadows", lex.shadows)
        self._co_occurrence = CoOccurrenceMatcher(lex, self._patterns)

        self._context = ConText(
            self.nlp,
            name="red_flag_context",
            rules=None,
            span_attrs=None,
            input_span_type="group",
            span_group_name=SPAN_GROUP,
            prune_on_modifier_overlap=True,
            prune_on_target_overlap=False,
        )
        compat.skip_pattern_revalidation(self._context)
        self._context.add(self._context_rules(default_rules_path))
        from spacy.tokens import Doc

        if not Doc.has_extension(SPAN_GROUP):
            Doc.set_extension(SPAN_GROUP, default=None)

    # ------------------------------------------------------------------ construction

    @classmethod
    def from_yaml(cls, path: str | Path | None = None) -> "RedFlagDetector":
        """Build a detector from a lexicon file (default: <repo>/content/red_flags.yml)."""
        return cls(path)

    def _target_matcher(self, TargetMatcher, name: str):
        matcher = TargetMatcher(self.nlp, name=name, result_type=None)
        compat.skip_pattern_revalidation(matcher)
        return matcher

    def _tier(self, TargetMatcher, name: str, specs: Sequence[Target], by_level: bool = False):
        """(name, [phrase TargetMatchers]) for these targets; their token patterns go into the index."""
        matchers = []
        phrase_groups: Dict[str, list] = defaultdict(list)
        for spec in specs:
            key = getattr(spec, "level", "") if by_level else ""
            for phrase in spec.phrases:
                phrase_groups[key].append(self._TargetRule(literal=phrase, category=spec.id))
        for key, rules in phrase_groups.items():
            matcher = self._target_matcher(TargetMatcher, f"{name}_{key or 'phrases'}")
            # a token pattern that never matches (no token is empty) keeps spaCy from
            # warning (W036) on every call that this phrase matcher has no token patterns
            rules.append(self._TargetRule(literal="(never matches)", category=_NEVER, pattern=[{"ORTH": ""}]))
            matcher.add(rules)
            matchers.append(matcher)
        for spec in specs:
            if spec.token_patterns:
                self._patterns.add(f"{name}\t{spec.id}", [list(seq) for seq in spec.token_patterns])
        return name, matchers

    def _run(self, tier, doc, pattern_matches) -> list:
        """Phrase matches of a tier, plus its token-pattern matches pruned per target."""
        from spacy.tokens import Span

        name, matchers = tier
        spans = []
        for matcher in matchers:
            spans.extend(matcher(doc))
        prefix = name + "\t"
        for key, found in pattern_matches.items():
            if key.startswith(prefix):
                label = key[len(prefix) :]
                # the same pruning a medspaCy TargetMatcher holding only this target's patterns does
                for _, start, end in self._prune([(0, s, e) for s, e in found]):
                    spans.append(Span(doc, start, end, label=label))
        return spans

    def _allowed_types(self, applies_to: Sequence[str]) -> Optional[set]:
        if not applies_to:
            return None
        labels = set()
        for name in applies_to:
            if name in self._flags or name in self._helpers:
                labels.add(name)
            else:  # a group
                labels.update(f.id for f in self.lexicon.flags if f.group == name)
        return labels

    def _context_rules(self, default_rules_path: str) -> list:
        lex = self.lexicon
        rules = []
        if lex.default_context.use:
            defaults = self._ConTextRule.from_json(default_rules_path)
            known = {r.literal for r in defaults}
            unknown = [lit for lit in lex.default_context.exclude if lit not in known]
            if unknown:
                raise LexiconError(
                    f"{lex.path}: modifiers.medspacy_defaults.exclude: not medspaCy default rules: {unknown}"
                )
            for rule in defaults:
                if rule.category not in lex.default_context.keep_categories:
                    continue
                if rule.literal in lex.default_context.exclude:
                    continue
                category = lex.categories[rule.category]
                if rule.max_scope is None and category.max_scope is not None:
                    rule.max_scope = category.max_scope
                rule.on_modifies = make_on_modifies(category)
                rules.append(rule)
        for spec in lex.modifier_rules:
            category = lex.categories[spec.category]
            common = dict(
                category=spec.category,
                direction=spec.direction,
                allowed_types=self._allowed_types(spec.applies_to),
                max_scope=spec.max_scope or category.max_scope,
                max_targets=spec.max_targets,
                on_modifies=make_on_modifies(category),
            )
            for phrase in spec.phrases:
                rules.append(self._ConTextRule(literal=phrase, **common))
            for i, seq in enumerate(spec.token_patterns):
                rules.append(self._ConTextRule(literal=f"{spec.category} pattern {i}", pattern=list(seq), **common))
        return rules

    # ------------------------------------------------------------------ assessment

    def assess(self, text: str) -> Assessment:
        """Triage one message. Never raises on odd input: empty text is level none."""
        if not text or not isinstance(text, str) or not text.strip():
            return Assessment()
        norm = self._normaliser(text)
        doc = self.nlp(norm.text)
        flag_spans, helper_spans, info_spans = self._targets(doc)
        if not flag_spans:
            return Assessment(info_question=bool(info_spans))
        found = self._modified(doc, flag_spans, helper_spans)
        return assemble(found.values(), self.lexicon.categories, text, norm, doc, info_question=bool(info_spans))

    def _targets(self, doc) -> Tuple[list, list, list]:
        """(flag spans, helper spans, info-topic spans) found in the message, none inside an idiom.

        Helpers are looked for only when there is a flag: alone they say nothing.
        """
        found = self._patterns(doc)
        flag_spans = self._run(self._flag_matchers, doc, found)
        if self._co_occurrence:
            from spacy.tokens import Span

            flag_spans.extend(Span(doc, s, e, label=flag_id) for flag_id, s, e in self._co_occurrence.find(doc, found))
        flag_spans = _longest_per_label(flag_spans)
        info_spans = self._run(self._info_matchers, doc, found)
        if not flag_spans:
            return flag_spans, [], info_spans
        shadows = [(s.start, s.end) for s in self._run(self._shadow_matchers, doc, found)]
        if shadows:
            flag_spans = [s for s in flag_spans if not _inside(s, shadows)]
        helper_spans = _longest_per_label(self._run(self._helper_matchers, doc, found))
        if shadows:
            helper_spans = [s for s in helper_spans if not _inside(s, shadows)]
        return flag_spans, helper_spans, info_spans

    def _modified(self, doc, flag_spans: list, helper_spans: list) -> Dict[Tuple[int, int, str], Found]:
        """Every found flag and helper, once per place, with the ConText modifiers that reach it."""
        found: Dict[Tuple[int, int, str], Found] = {}
        for span in flag_spans:
            found.setdefault(
                (span.start, span.end, span.label_),
                Found("flag", self._flags[span.label_], span.start, span.end, span.label_),
            )
        for span in helper_spans:
            found.setdefault(
                (span.start, span.end, span.label_),
                Found("helper", self._helpers[span.label_], span.start, span.end, span.label_),
            )

        # ConText reads its targets from a Doc extension (cheaper than a SpanGroup)
        setattr(doc._, SPAN_GROUP, list(flag_spans) + list(helper_spans))
        self._context(doc, targets=SPAN_GROUP)
        flag_ranges = [(s.start, s.end) for s in flag_spans]
        for target, modifier in doc._.context_graph.edges:
            m_start, m_end = modifier.modifier_span
            # a modifier that is part of a flag phrase ("can't feel", "no control") modifies nothing
            if any(f_start <= m_start and m_end <= f_end for f_start, f_end in flag_ranges):
                continue
            item = found.get((target.start, target.end, target.label_))
            if item is not None:
                item.modifiers.append(modifier)
        self._frame_neighbouring_questions(doc, found)
        return found

    def _frame_neighbouring_questions(self, doc, found: Dict[Tuple[int, int, str], Found]) -> None:
        """A framing reaches the general question next to it, and a question next to the writer's own case is not general.

        "Is fever with back pain serious? I ask for knowledge only." ConText stays inside
        a sentence; a category with ``reaches_question_sentence`` also modifies the flags
        of the sentence just before or after the framing when that sentence is a question
        about no one in particular: it ends with "?" and holds none of the category's
        ``target_blockers`` ("I", "my", "he"). "My legs are numb? Asking for my course"
        keeps the legs. The other way round, such a modifier inside its own sentence
        ("can sciatica affect both legs?") does not count when a sentence next to it speaks
        of someone ("... I have it in both") without a framing of its own, or says it is
        happening (the category's ``ongoing_in_sentence``: "having it in both since Monday").
        """
        categories = self.lexicon.categories
        framings = [m for m in doc._.context_graph.modifiers if _is_framing(categories, m)]
        if not framings:
            return
        sentences = list(doc.sents)
        flags = [item for item in found.values() if item.kind == "flag"]
        self._unframe_beside_a_case(sentences, framings, flags)
        self._frame_questions_beside(sentences, framings, flags)

    def _unframe_beside_a_case(self, sentences, framings, flags) -> None:
        """Drop a framing from a flag whose neighbouring sentence tells someone's case or says it is happening."""
        categories = self.lexicon.categories
        framed = {_sentence_of(sentences, m.modifier_span[0]) for m in framings}
        for item in flags:
            own = _sentence_of(sentences, item.start)
            for modifier in [m for m in item.modifiers if _is_framing(categories, m)]:
                category = categories[modifier.category]
                if any(
                    0 <= n < len(sentences)
                    and (
                        (n not in framed and _mentions(sentences[n], category.target_blockers))
                        or _mentions(sentences[n], category.ongoing_in_sentence)
                    )
                    for n in (own - 1, own + 1)
                ):
                    item.modifiers.remove(modifier)

    def _frame_questions_beside(self, sentences, framings, flags) -> None:
        """Add a framing to the flags of a general question in the sentence before or after it."""
        categories = self.lexicon.categories
        for modifier in framings:
            category = categories[modifier.category]
            index = _sentence_of(sentences, modifier.modifier_span[0])
            # "I have it in both, asking for my course": the framing's own sentence tells a case
            if _mentions(sentences[index], category.ongoing_in_sentence):
                continue
            for neighbour in (index - 1, index + 1):
                if not 0 <= neighbour < len(sentences):
                    continue
                sent = sentences[neighbour]
                if (
                    sent[-1].text != "?"
                    or _mentions(sent, category.target_blockers)
                    or _mentions(sent, category.ongoing_in_sentence)
                ):
                    continue
                for item in flags:
                    if not (sent.start <= item.start and item.end <= sent.end):
                        continue
                    if modifier.allows(item.label.upper()) and modifier not in item.modifiers:
                        item.modifiers.append(modifier)

    __call__ = assess


def _is_framing(categories, modifier) -> bool:
    category = categories.get(modifier.category)
    return category is not None and category.reaches_question_sentence


def _sentence_of(sentences, token_index: int) -> int:
    return next(i for i, sent in enumerate(sentences) if sent.start <= token_index < sent.end)


def _mentions(sentence, words) -> bool:
    return any(t.lower_ in words for t in sentence)


def _inside(span, ranges) -> bool:
    """Strictly inside an idiom: "fever" in "hay fever" (a flag as long as the idiom still counts)."""
    return any(
        start <= span.start and span.end <= end and (span.end - span.start) < (end - start) for start, end in ranges
    )


def _longest_per_label(spans: list) -> list:
    """Among overlapping spans of the same flag (or helper), keep the longest."""
    if len(spans) < 2:
        return spans
    spans = sorted(spans, key=lambda s: (s.label_, -(s.end - s.start), s.start))
    kept: list = []
    for span in spans:
        if any(k.label_ == span.label_ and k.start < span.end and span.start < k.end for k in kept):
            continue
        kept.append(span)
    return kept
