"""The red-flag detector: medspaCy TargetMatcher + ConText over a blank English pipeline.

One call, :meth:`RedFlagDetector.assess`, per user message:

1. normalise the text (curly quotes, lower case; character offsets are kept);
2. find flag phrases, helper terms, info topics and idioms with medspaCy
   ``TargetMatcher`` objects (one per level, so a long professional phrase can
   never hide a short emergency one);
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

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple

from .levels import ALERT_LEVELS, NONE, highest, rank
from .lexicon import (
    DEFAULT_LEXICON_PATH,
    FlagSpec,
    Lexicon,
    LexiconError,
    ModifierCategory,
    Target,
    load_lexicon,
)
from .pipeline import build_nlp, import_medspacy

SPAN_GROUP = "red_flag_targets"
_NEVER = "__never__"
_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u00b4": "'", "`": "'", "\u201c": '"', "\u201d": '"'})


@dataclass(frozen=True)
class Flag:
    """One red flag found in the user's own (or a present third person's) situation."""

    id: str
    group: str
    level: str
    text: str
    start: int = field(default=-1, compare=False)
    end: int = field(default=-1, compare=False)


@dataclass(frozen=True)
class DroppedFlag:
    """A flag phrase that was found but does not count, and why (for reports and debugging)."""

    id: str
    level: str
    text: str
    reason: str


@dataclass(frozen=True)
class Assessment:
    """The triage of one message: the highest level among the flags that count."""

    level: str = NONE
    flags: Tuple[Flag, ...] = ()
    info_question: bool = False
    dropped: Tuple[DroppedFlag, ...] = field(default=(), compare=False)

    @property
    def top(self) -> Optional[Flag]:
        """The flag that set the level (the first of the highest level), or None."""
        return self.flags[0] if self.flags else None

    @property
    def is_alert(self) -> bool:
        return self.level in ALERT_LEVELS


@dataclass
class _Found:
    kind: str  # "flag" | "helper"
    spec: Target
    start: int
    end: int
    label: str
    modifiers: list = field(default_factory=list)


def _normalise(text: str) -> str:
    text = text.translate(_QUOTES)
    lowered = text.lower()
    # keep character offsets valid: only use the lower-cased text when it has the same length
    return lowered if len(lowered) == len(text) else text


class RedFlagDetector:
    """Rule-based red-flag detector; build it once (a few seconds), then call :meth:`assess` (well under 1 ms)."""

    def __init__(self, lexicon_path: str | Path | None = None):
        TargetMatcher, TargetRule, ConText, ConTextRule, default_rules_path = import_medspacy()
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

        # Separate TargetMatchers: medspaCy prunes overlapping matches inside one
        # matcher (longest wins), which must never let a lower level (or a helper)
        # hide a higher one. Literal phrases: one matcher per level (PhraseMatcher,
        # cheap whatever the number of phrases). Token patterns: one matcher per
        # flag, run only when the message contains one of the words every match
        # of that flag needs (its anchors), which keeps the cost per message low.
        self._flag_matchers = self._tier(TargetMatcher, "red_flags", lex.flags, by_level=True)
        self._helper_matchers = self._tier(TargetMatcher, "red_flag_helpers", lex.helpers)
        self._info_matchers = self._tier(TargetMatcher, "red_flag_info", lex.info_topics)
        self._shadow_matchers = self._tier(TargetMatcher, "red_flag_shadows", lex.shadows)

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
        self._context.add(self._context_rules(default_rules_path))
        from spacy.tokens import Doc

        if not Doc.has_extension(SPAN_GROUP):
            Doc.set_extension(SPAN_GROUP, default=None)

    # ------------------------------------------------------------------ construction

    @classmethod
    def from_yaml(cls, path: str | Path | None = None) -> "RedFlagDetector":
        """Build a detector from a lexicon file (default: <repo>/content/red_flags.yml)."""
        return cls(path)

    def _tier(self, TargetMatcher, name: str, specs: Sequence[Target], by_level: bool = False):
        """[(anchor words or None, TargetMatcher)] for these targets."""
        matchers = []
        phrase_groups: Dict[str, list] = defaultdict(list)
        for spec in specs:
            key = getattr(spec, "level", "") if by_level else ""
            for phrase in spec.phrases:
                phrase_groups[key].append(self._TargetRule(literal=phrase, category=spec.id))
        for key, rules in phrase_groups.items():
            matcher = TargetMatcher(self.nlp, name=f"{name}_{key or 'phrases'}", result_type=None)
            # a token pattern that never matches (no token is empty) keeps spaCy from
            # warning (W036) on every call that this phrase matcher has no token patterns
            rules.append(self._TargetRule(literal="(never matches)", category=_NEVER, pattern=[{"ORTH": ""}]))
            matcher.add(rules)
            matchers.append((None, matcher))
        for spec in specs:
            if not spec.token_patterns:
                continue
            anchors = [_anchor_words(seq) for seq in spec.token_patterns]
            gate = None if any(a is None for a in anchors) else frozenset().union(*anchors)
            matcher = TargetMatcher(self.nlp, name=f"{name}_{spec.id}", result_type=None)
            matcher.add(
                [
                    self._TargetRule(literal=f"{spec.id} pattern {i}", category=spec.id, pattern=list(seq))
                    for i, seq in enumerate(spec.token_patterns)
                ]
            )
            matchers.append((gate, matcher))
        return matchers

    @staticmethod
    def _run(matchers, doc, words) -> list:
        spans = []
        for gate, matcher in matchers:
            if gate is None or not gate.isdisjoint(words):
                spans.extend(matcher(doc))
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
                rule.on_modifies = _make_on_modifies(category)
                rules.append(rule)
        for spec in lex.modifier_rules:
            category = lex.categories[spec.category]
            common = dict(
                category=spec.category,
                direction=spec.direction,
                allowed_types=self._allowed_types(spec.applies_to),
                max_scope=spec.max_scope or category.max_scope,
                max_targets=spec.max_targets,
                on_modifies=_make_on_modifies(category),
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
        doc = self.nlp(_normalise(text))

        words = {tok.lower_ for tok in doc}
        flag_spans = _longest_per_label(self._run(self._flag_matchers, doc, words))
        info_spans = self._run(self._info_matchers, doc, words)
        if not flag_spans:
            return Assessment(info_question=bool(info_spans))
        shadows = [(s.start, s.end) for s in self._run(self._shadow_matchers, doc, words)]
        if shadows:
            flag_spans = [s for s in flag_spans if not _inside(s, shadows)]
        helper_spans = _longest_per_label(self._run(self._helper_matchers, doc, words))
        if shadows:
            helper_spans = [s for s in helper_spans if not _inside(s, shadows)]

        if not flag_spans:
            return Assessment(info_question=bool(info_spans))

        found: Dict[Tuple[int, int, str], _Found] = {}
        for span in flag_spans:
            found.setdefault((span.start, span.end, span.label_), _Found("flag", self._flags[span.label_], span.start, span.end, span.label_))
        for span in helper_spans:
            found.setdefault((span.start, span.end, span.label_), _Found("helper", self._helpers[span.label_], span.start, span.end, span.label_))

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

        categories = self.lexicon.categories
        raw_helpers = {f.label for f in found.values() if f.kind == "helper"}
        present: set = set()
        kept: List[Tuple[_Found, FlagSpec]] = []
        dropped: List[DroppedFlag] = []
        question_drop = False
        # helpers first: flags may need them
        for item in sorted(found.values(), key=lambda f: f.kind != "helper"):
            verdict, why, is_question = _verdict(item, categories, raw_helpers)
            if item.kind == "helper":
                if verdict:
                    present.add(item.label)
                continue
            spec: FlagSpec = item.spec  # type: ignore[assignment]
            if verdict:
                present.add(item.label)
                kept.append((item, spec))
            else:
                dropped.append(DroppedFlag(spec.id, spec.level, _original(text, doc, item), why))
                if is_question and spec.level in ALERT_LEVELS:
                    question_drop = True

        flags: List[Flag] = []
        seen = set()
        for item, spec in kept:
            level = spec.level
            if spec.requires_any and not any(req in present for req in spec.requires_any):
                level = spec.otherwise_level
                if level == NONE:
                    dropped.append(
                        DroppedFlag(spec.id, spec.level, _original(text, doc, item), f"needs one of {list(spec.requires_any)}")
                    )
                    continue
            span = doc[item.start : item.end]
            key = (spec.id, span.start_char, span.end_char)
            if key in seen:
                continue
            seen.add(key)
            flags.append(
                Flag(
                    id=spec.id,
                    group=spec.group,
                    level=level,
                    text=text[span.start_char : span.end_char],
                    start=span.start_char,
                    end=span.end_char,
                )
            )
        flags.sort(key=lambda f: (-rank(f.level), f.start))
        return Assessment(
            level=highest(f.level for f in flags),
            flags=tuple(flags),
            info_question=bool(info_spans) or question_drop,
            dropped=tuple(dropped),
        )

    __call__ = assess


# ---------------------------------------------------------------------- helpers


def _original(text: str, doc, item: "_Found") -> str:
    span = doc[item.start : item.end]
    return text[span.start_char : span.end_char]


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


def _anchor_words(seq) -> Optional[frozenset]:
    """Words a message must contain for this token pattern to match (None: no such word).

    Picks, among the pattern's required (non-optional) LOWER tokens, the one with
    the fewest alternatives that are not stop words, so the gate is selective.
    """
    from spacy.lang.en.stop_words import STOP_WORDS

    best = None
    best_score = None
    for tok in seq:
        if tok.get("OP") in ("?", "*") or set(tok) - {"LOWER"}:
            continue
        value = tok.get("LOWER")
        if isinstance(value, dict) and "IN" not in value:  # NOT_IN gaps are no anchor
            continue
        values = value["IN"] if isinstance(value, dict) else [value]
        common = sum(1 for v in values if v in STOP_WORDS or len(v) < 2 or not v.isalpha())
        score = (common, len(values))
        if best_score is None or score <= best_score:
            best, best_score = frozenset(values), score
    return best


def _verdict(item: _Found, categories: Dict[str, ModifierCategory], helpers_present: set):
    """(counts?, reason, dropped-as-question?) for one found flag or helper."""
    # past_is_relevant: True (always), "recent" (only long-ago history drops it) or False
    past_relevant = item.spec.past_is_relevant if isinstance(item.spec, FlagSpec) else False
    if any(
        categories.get(m.category) is not None and categories[m.category].effect == "overrides_history"
        for m in item.modifiers
    ):
        past_relevant = True  # "it came back", "still there": history does not drop it
    for modifier in item.modifiers:
        category = categories.get(modifier.category)
        if category is None or category.effect == "keep":
            continue
        reason = f"{modifier.category}: {modifier.rule.literal}"
        if category.effect == "drop":
            return False, reason, False
        if category.effect == "drop_unless_past_relevant":
            if past_relevant:
                continue
            return False, reason, False
        if category.effect == "drop_if_long_ago":
            if past_relevant is True:
                continue
            return False, reason, False
        if category.effect == "drop_as_question":
            return False, reason, True
        if category.effect == "drop_family":
            if any(h in helpers_present for h in category.unless_helpers):
                continue
            return False, reason, False
    return True, "", False


def _clause_is_ongoing(target, modifier, ongoing, ongoing_unless, boundaries) -> bool:
    """True when the target's clause says it is still going on ("... and it's worse now")."""
    doc = target.doc
    sent = target.sent
    start = target.start
    while start > sent.start and doc[start - 1].lower_ not in boundaries:
        start -= 1
    end = target.end
    while end < sent.end and doc[end].lower_ not in boundaries:
        end += 1
    for i in range(start, end):
        if modifier.start <= i < modifier.end or target.start <= i < target.end:
            continue
        word = doc[i].lower_
        if word in ongoing and (i == 0 or doc[i - 1].lower_ not in ongoing_unless):
            return True
    return False


def _make_on_modifies(category: ModifierCategory):
    """ConText ``on_modifies`` callback: keep a modifier inside its clause.

    A modifier does not reach a target across a stop word ("no fever but I can't
    pee"), across a comma that starts a new clause ("no, I can't feel my legs"),
    when the target contains a blocker ("what is wrong with *my* legs"), and a
    historical modifier does not apply when the sentence says the problem is
    still going on ("I had a fever last month and it's back now").
    """
    stops = category.stop_between
    starters = category.clause_starters
    ongoing = category.ongoing_in_sentence
    ongoing_unless = category.ongoing_unless_after
    boundaries = category.clause_boundaries
    blockers = category.target_blockers

    def on_modifies(target, modifier, _span_between) -> bool:
        doc = target.doc
        if modifier.end <= target.start:
            between = doc[modifier.end : target.start]
            after_last = doc[target.start]
        elif target.end <= modifier.start:
            between = doc[target.end : modifier.start]
            after_last = None  # the next token is the modifier itself
        else:
            return False
        words = [tok.lower_ for tok in between]
        if stops and any(w in stops for w in words):
            return False
        if starters:
            for i, w in enumerate(words):
                if w in (",", ";", ":", "-", "\u2013", "\u2014"):
                    nxt = words[i + 1] if i + 1 < len(words) else (after_last.lower_ if after_last is not None else None)
                    if nxt is not None and nxt in starters:
                        return False
        if blockers and any(tok.lower_ in blockers for tok in target):
            return False
        if ongoing and _clause_is_ongoing(target, modifier, ongoing, ongoing_unless, boundaries):
            return False
        return True

    return on_modifies
