"""Load and validate the red-flag lexicon (content/red_flags.yml).

The lexicon is data, not code: every flag with its level, group and source,
the phrases and token patterns that find it, the helper terms some flags need
(e.g. "a fall" only matters with osteoporosis), idioms that must not fire, and
the ConText modifier rules, the co-occurrence rules that let a flag generalise
beyond its fixed phrases (a body area and a deficit in one clause), and the
texting spellings normalised before matching. This module turns the YAML into
plain objects and refuses a malformed file with a :class:`LexiconError` that
names the file and the key at fault, so a bad edit fails when the server
starts, loudly. What the file may hold is declared in bot.safety.lexicon_schema;
this module compiles the patterns and builds the detector's objects.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Dict, List, Mapping, Optional, Sequence, Tuple

import yaml

from bot.core.config import current

from .lexicon_schema import FlagModel, LexiconError, LexiconModel, TargetModel, parse
from .normalise import ContextSpelling
from .patterns import PatternError, compile_pattern

# BACKCARE_ROOT and BACKCARE_RED_FLAGS_FILE, through the process's settings (bot.core.config)
REPO_ROOT = current().root
DEFAULT_LEXICON_PATH = current().red_flags_file


@dataclass(frozen=True)
class Source:
    title: str
    url: str


@dataclass
class Target:
    """Something the target matcher looks for: a flag, a helper, an info topic or a shadow."""

    id: str
    phrases: Tuple[str, ...] = ()
    patterns: Tuple[str, ...] = ()
    # compiled spaCy token patterns, one list per pattern string (after expansion)
    token_patterns: Tuple[Tuple[dict, ...], ...] = ()
    description: str = ""


@dataclass(frozen=True)
class CoOccurRule:
    """Every element (a small pattern) found in one sentence, within ``within`` tokens.

    Generalises a flag beyond fixed phrases: "bum" + "numb", "legs" + "gave way",
    "chest" + "tight". ``unless``: patterns that, anywhere in the same sentence,
    give the combination an everyday reason ("leg day" for tired legs).
    """

    elements: Tuple[str, ...]
    within: int
    unless: Tuple[str, ...] = ()
    note: str = ""


@dataclass
class FlagSpec(Target):
    group: str = ""
    level: str = ""
    source: Optional[Source] = None
    past_is_relevant: Any = False  # True | "recent" | False
    requires_any: Tuple[str, ...] = ()
    otherwise_level: str = "none"
    co_occur: Tuple[CoOccurRule, ...] = ()


@dataclass(frozen=True)
class CoOccurrenceSettings:
    """What may not sit between the elements of a co-occurrence (see ``co_occurrence`` in the YAML)."""

    barriers: frozenset = frozenset()  # clause breaks: ".", "but", ";"
    gap_blockers: frozenset = frozenset()  # a denial between the elements: "legs are NOT numb"
    default_within: int = 8


@dataclass(frozen=True)
class ModifierCategory:
    name: str
    effect: str
    max_scope: Optional[int] = None
    stop_between: frozenset = frozenset()
    clause_starters: frozenset = frozenset()
    ongoing_in_sentence: frozenset = frozenset()
    target_blockers: frozenset = frozenset()
    ongoing_unless_after: frozenset = frozenset()
    clause_boundaries: frozenset = frozenset()
    unless_helpers: Tuple[str, ...] = ()
    description: str = ""
    # a modifier said first reaches across a comma + new clause ("Years ago, I fell ...")
    fronted_crosses_clauses: bool = False
    # a framing said in a sentence of its own ("I ask for knowledge only") also reaches the general
    # question in the sentence just before or after it (ends with "?", none of the target_blockers)
    reaches_question_sentence: bool = False


@dataclass
class ModifierRule:
    category: str
    direction: str
    phrases: Tuple[str, ...] = ()
    patterns: Tuple[str, ...] = ()
    token_patterns: Tuple[Tuple[dict, ...], ...] = ()
    max_scope: Optional[int] = None
    max_targets: Optional[int] = None
    applies_to: Tuple[str, ...] = ()  # flag ids, helper ids or group names; empty = all
    note: str = ""


@dataclass
class DefaultContextRules:
    use: bool = False
    keep_categories: Tuple[str, ...] = ()
    exclude: Tuple[str, ...] = ()


@dataclass
class Lexicon:
    path: Path
    version: int
    terms: Dict[str, Tuple[str, ...]]
    flags: List[FlagSpec]
    helpers: List[Target]
    info_topics: List[Target]
    shadows: List[Target]
    categories: Dict[str, ModifierCategory]
    modifier_rules: List[ModifierRule]
    default_context: DefaultContextRules = field(default_factory=DefaultContextRules)
    spellings: Dict[str, str] = field(default_factory=dict)
    # dialect words read differently next to certain words ("me dad", "our lass")
    spellings_in_context: Tuple[ContextSpelling, ...] = ()
    co_occurrence: CoOccurrenceSettings = field(default_factory=CoOccurrenceSettings)
    # compiled spaCy token patterns of every co-occurrence element (and `unless`), by pattern string
    elements: Dict[str, Tuple[Tuple[dict, ...], ...]] = field(default_factory=dict)

    def flag(self, flag_id: str) -> FlagSpec:
        for spec in self.flags:
            if spec.id == flag_id:
                return spec
        raise KeyError(flag_id)

    @property
    def groups(self) -> List[str]:
        seen: List[str] = []
        for spec in self.flags:
            if spec.group not in seen:
                seen.append(spec.group)
        return seen


# --------------------------------------------------------------------------- loader

Tokenize = Callable[[str], List[str]]
Compiled = Tuple[Tuple[dict, ...], ...]


def read_yaml(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise LexiconError(f"{path}: red-flag lexicon not found") from None
    except OSError as exc:
        raise LexiconError(f"{path}: cannot read red-flag lexicon: {exc}") from None
    try:
        # libyaml's loader when it is there: the lexicon parses about ten times faster
        return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as exc:
        raise LexiconError(f"{path}: invalid YAML: {exc}") from None


class _Compiler:
    """Compiles token patterns (when there is a tokenizer), naming the file and key of a bad one."""

    def __init__(self, path: Path, terms: Mapping[str, Sequence[str]], tokenize: Optional[Tokenize]):
        self.path = path
        self.terms = terms
        # the same alternatives are tokenised hundreds of times: remember them
        self.tokenize = functools.lru_cache(maxsize=None)(tokenize) if tokenize is not None else None
        self.cache: dict = {}  # compiled @term lists, shared by every pattern

    def __call__(self, where: str, patterns: Sequence[str]) -> Compiled:
        """``where``: the key of the list (``flags[3].patterns``), or of the one pattern when it is alone."""
        if self.tokenize is None:
            return ()
        compiled: List[Tuple[dict, ...]] = []
        for i, pattern in enumerate(patterns):
            key = where if len(patterns) == 1 and where.endswith("]") else f"{where}[{i}]"
            try:
                found = compile_pattern(pattern, self.terms, self.tokenize, cache=self.cache)
            except PatternError as exc:
                raise LexiconError(f"{self.path}: {key}: pattern {pattern!r}: {exc}") from None
            compiled.extend(tuple(seq) for seq in found)
        return tuple(compiled)


def _target(model: TargetModel, where: str, compile_: _Compiler) -> Dict[str, Any]:
    return {
        "id": model.id,
        "phrases": model.phrases,
        "patterns": model.patterns,
        "token_patterns": compile_(f"{where}.patterns", model.patterns),
        "description": model.description.strip(),
    }


def _flag(model: FlagModel, where: str, compile_: _Compiler, default_within: int) -> FlagSpec:
    return FlagSpec(
        **_target(model, where, compile_),
        group=model.group,
        level=model.level,
        source=Source(title=model.source.title.strip(), url=model.source.url.strip()),
        past_is_relevant=model.past_is_relevant,
        requires_any=model.requires_any,
        otherwise_level=model.otherwise_level,
        co_occur=tuple(
            CoOccurRule(
                elements=rule.all, within=rule.within or default_within, unless=rule.unless, note=_text(rule.note)
            )
            for rule in model.co_occur or ()
        ),
    )


def _elements(flags: Sequence[FlagSpec], compile_: _Compiler) -> Dict[str, Compiled]:
    """Every co-occurrence element compiled once, whichever flags share it."""
    elements: Dict[str, Compiled] = {}
    for i, spec in enumerate(flags):
        for j, rule in enumerate(spec.co_occur):
            keyed = [("all", k, e) for k, e in enumerate(rule.elements)] + [
                ("unless", k, e) for k, e in enumerate(rule.unless)
            ]
            for key, k, element in keyed:
                if element not in elements:
                    elements[element] = compile_(f"flags[{i}].co_occur[{j}].{key}[{k}]", [element])
    return elements


def _categories(model: LexiconModel) -> Dict[str, ModifierCategory]:
    categories: Dict[str, ModifierCategory] = {}
    for name, cfg in model.modifiers.categories.items():
        categories[name.upper()] = ModifierCategory(
            name=name.upper(),
            effect=cfg.effect,
            max_scope=cfg.max_scope,
            stop_between=frozenset(cfg.stop_between),
            clause_starters=frozenset(cfg.clause_starters),
            ongoing_in_sentence=frozenset(cfg.ongoing_in_sentence),
            target_blockers=frozenset(cfg.target_blockers),
            ongoing_unless_after=frozenset(cfg.ongoing_unless_after),
            clause_boundaries=frozenset(cfg.clause_boundaries),
            unless_helpers=cfg.unless_helpers,
            description=_text(cfg.description),
            fronted_crosses_clauses=bool(cfg.fronted_crosses_clauses),
            reaches_question_sentence=bool(cfg.reaches_question_sentence),
        )
    if "PSEUDO" not in categories:
        categories["PSEUDO"] = ModifierCategory(name="PSEUDO", effect="keep")
    return categories


def _rules(model: LexiconModel, compile_: _Compiler) -> List[ModifierRule]:
    return [
        ModifierRule(
            category=rule.category,
            direction=rule.direction,
            phrases=rule.phrases,
            patterns=rule.patterns,
            token_patterns=compile_(f"modifiers.rules[{i}].patterns", rule.patterns),
            max_scope=rule.max_scope,
            max_targets=rule.max_targets,
            applies_to=rule.applies_to,
            note=_text(rule.note),
        )
        for i, rule in enumerate(model.modifiers.rules)
    ]


def _text(value: Any) -> str:
    return str(value if value is not None else "").strip()


def load_lexicon(path: str | Path | None = None, tokenize: Optional[Tokenize] = None) -> Lexicon:
    """Read, validate and (when ``tokenize`` is given) compile the lexicon."""
    path = Path(path) if path is not None else DEFAULT_LEXICON_PATH
    model = parse(read_yaml(path), str(path))
    compile_ = _Compiler(path, model.terms, tokenize)
    default_within = model.co_occurrence.default_within or 8
    flags = [_flag(flag, f"flags[{i}]", compile_, default_within) for i, flag in enumerate(model.flags)]
    elements = _elements(flags, compile_)

    def targets(key: str) -> List[Target]:
        return [Target(**_target(t, f"{key}[{i}]", compile_)) for i, t in enumerate(getattr(model, key))]

    defaults = model.modifiers.medspacy_defaults
    return Lexicon(
        path=path,
        version=model.version,
        terms=dict(model.terms),
        flags=flags,
        helpers=targets("helpers"),
        info_topics=targets("info_topics"),
        shadows=targets("shadows"),
        categories=_categories(model),
        modifier_rules=_rules(model, compile_),
        default_context=DefaultContextRules(
            use=bool(defaults.use), keep_categories=defaults.keep_categories, exclude=defaults.exclude
        ),
        spellings=dict(model.spellings),
        spellings_in_context=tuple(
            ContextSpelling(
                word=r.word,
                replacement=r.reads_as,
                before=frozenset(r.before),
                after=frozenset(r.after),
                not_after=frozenset(r.not_after),
                before_name=r.before_name,
                joins_next=r.joins_next,
            )
            for r in model.spellings_in_context
        ),
        co_occurrence=CoOccurrenceSettings(
            barriers=frozenset(model.co_occurrence.barriers),
            gap_blockers=frozenset(model.co_occurrence.gap_blockers),
            default_within=default_within,
        ),
        elements=elements,
    )
