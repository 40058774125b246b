"""The shape of content/red_flags.yml, declared: one pydantic model per section.

The models say what each entry may hold (keys, types, allowed values);
:func:`cross_check` then checks what refers to what (a flag's source is one of
``sources``, ``requires_any`` and ``unless_helpers`` name real flags or helpers,
a rule's category is declared, ids are unique). Every error names the key path
in the file ("flags[12].level: must be one of emergency, urgent, professional"),
so a bad edit is found without reading the loader. Building the detector's
objects and compiling the patterns is bot.safety.lexicon's job.
"""

from __future__ import annotations

import re
from typing import Any, Dict, Iterator, List, Optional, Tuple

from pydantic import BaseModel, StrictStr, ValidationError, root_validator, validator

from bot.core.levels import FLAG_LEVELS, LEVELS

DIRECTIONS = ("FORWARD", "BACKWARD", "BIDIRECTIONAL", "TERMINATE", "PSEUDO")
EFFECTS = (
    "drop",  # the flag is not the user's current problem (negation)
    "drop_unless_past_relevant",  # over and done with, unless the past event is the red flag
    "drop_if_long_ago",  # long ago (years ago, as a child): drops even recent-past flags such as trauma
    "drop_as_question",  # hypothetical or general question: no flag, marks an info question
    "drop_family",  # someone else's history (family history), unless they are the patient now
    "overrides_history",  # it is happening again / still: history modifiers do not drop the flag
    "keep",  # recognised (e.g. uncertainty) but never drops a flag
)
_WORD = re.compile(r"^[^\W_]+$")  # what the normaliser sees as one word (letters of any script, digits)


class LexiconError(ValueError):
    """The lexicon file is missing, unreadable or malformed."""


# --------------------------------------------------------------------------- value checks


def strings(value: Any) -> Tuple[str, ...]:
    """A string or a list of non-empty strings (or nothing), stripped."""
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ValueError("must be a list of non-empty strings")
    return tuple(v.strip() for v in value)


def lower_strings(value: Any) -> Tuple[str, ...]:
    return tuple(v.lower() for v in strings(value))


def positive_int(value: Any) -> Optional[int]:
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
        raise ValueError("must be a positive integer")
    return value


def one_of(allowed: Tuple[str, ...]):
    def check(value: Any) -> Any:
        if value not in allowed:
            raise ValueError(f"must be one of {', '.join(allowed)}, got {value!r}")
        return value

    return check


class Entry(BaseModel):
    """A mapping with only the keys its model declares."""

    @root_validator(pre=True)
    def _known_keys(cls, values: Any) -> Any:
        if not isinstance(values, dict):
            raise ValueError(f"expected a mapping, got {type(values).__name__}")
        unknown = sorted(set(values) - set(cls.__fields__), key=str)
        if unknown:
            raise ValueError(f"unknown key(s) {unknown}; allowed: {sorted(cls.__fields__)}")
        return values


# --------------------------------------------------------------------------- sections


class SourceModel(Entry):
    title: StrictStr
    url: StrictStr

    @validator("url")
    def _https(cls, url: str) -> str:
        if not url.startswith("https://"):
            raise ValueError(f"source url must be https: {url!r}")
        return url


class CoOccurrenceModel(Entry):
    barriers: Tuple[str, ...] = ()
    gap_blockers: Tuple[str, ...] = ()
    default_within: Optional[int] = None

    _strings = validator("barriers", "gap_blockers", pre=True, allow_reuse=True)(lower_strings)
    _int = validator("default_within", pre=True, allow_reuse=True)(positive_int)


class CoOccurModel(Entry):
    all: Tuple[str, ...] = ()
    within: Optional[int] = None
    unless: Tuple[str, ...] = ()
    note: Any = ""

    _strings = validator("all", "unless", pre=True, allow_reuse=True)(strings)
    _int = validator("within", pre=True, allow_reuse=True)(positive_int)

    @root_validator(skip_on_failure=True)
    def _two_elements(cls, values: dict) -> dict:
        if not values["all"] or (len(values["all"]) < 2 and not values["unless"]):
            raise ValueError("'all' needs at least two elements (one alone is a pattern, unless it has an 'unless')")
        return values


class TargetModel(Entry):
    """A helper, an info topic or a shadow: what the target matcher looks for."""

    id: StrictStr
    phrases: Tuple[str, ...] = ()
    patterns: Tuple[str, ...] = ()
    description: StrictStr = ""

    _phrases = validator("phrases", pre=True, allow_reuse=True)(lower_strings)
    _patterns = validator("patterns", pre=True, allow_reuse=True)(strings)

    @validator("id")
    def _id(cls, value: str) -> str:
        if not value.strip() or " " in value:
            raise ValueError("must be a non-empty string without spaces")
        return value

    @root_validator(skip_on_failure=True)
    def _findable(cls, values: dict) -> dict:
        if not values["phrases"] and not values["patterns"] and not values.get("co_occur"):
            raise ValueError("needs at least one of 'phrases' or 'patterns'")
        return values


class FlagModel(TargetModel):
    group: StrictStr
    level: Any
    source: SourceModel
    past_is_relevant: Any = False
    requires_any: Tuple[str, ...] = ()
    otherwise_level: Any = "none"
    co_occur: Optional[List[CoOccurModel]] = None

    _requires = validator("requires_any", pre=True, allow_reuse=True)(strings)
    _level = validator("level", allow_reuse=True)(one_of(FLAG_LEVELS))
    _otherwise = validator("otherwise_level", allow_reuse=True)(one_of(LEVELS))

    @validator("group")
    def _group(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("must be a non-empty string")
        return value.strip()

    @validator("past_is_relevant")
    def _past(cls, value: Any) -> Any:
        if value not in (True, False, "recent"):
            raise ValueError("must be true, false or recent")
        return value

    @validator("co_occur", pre=True)
    def _co_occur(cls, value: Any) -> Any:
        if value is not None and (not isinstance(value, list) or not value):
            raise ValueError("must be a non-empty list of {all: [...], within: N}")
        return value


class CategoryModel(Entry):
    effect: Any
    max_scope: Optional[int] = None
    stop_between: Tuple[str, ...] = ()
    clause_starters: Tuple[str, ...] = ()
    ongoing_in_sentence: Tuple[str, ...] = ()
    target_blockers: Tuple[str, ...] = ()
    ongoing_unless_after: Tuple[str, ...] = ()
    clause_boundaries: Tuple[str, ...] = ()
    unless_helpers: Tuple[str, ...] = ()
    description: Any = ""
    fronted_crosses_clauses: Any = False
    reaches_question_sentence: Any = False

    _effect = validator("effect", allow_reuse=True)(one_of(EFFECTS))
    _int = validator("max_scope", pre=True, allow_reuse=True)(positive_int)
    _words = validator(
        "stop_between",
        "clause_starters",
        "ongoing_in_sentence",
        "target_blockers",
        "ongoing_unless_after",
        "clause_boundaries",
        pre=True,
        allow_reuse=True,
    )(lower_strings)
    _helpers = validator("unless_helpers", pre=True, allow_reuse=True)(strings)


class DefaultsModel(Entry):
    use: Any = False
    keep_categories: Tuple[str, ...] = ()
    exclude: Tuple[str, ...] = ()

    _keep = validator("keep_categories", pre=True, allow_reuse=True)(lambda v: tuple(c.upper() for c in strings(v)))
    _exclude = validator("exclude", pre=True, allow_reuse=True)(strings)


class RuleModel(Entry):
    category: Any
    direction: Any
    phrases: Tuple[str, ...] = ()
    patterns: Tuple[str, ...] = ()
    max_scope: Optional[int] = None
    max_targets: Optional[int] = None
    applies_to: Tuple[str, ...] = ()
    note: Any = ""

    _phrases = validator("phrases", pre=True, allow_reuse=True)(lower_strings)
    _strings = validator("patterns", "applies_to", pre=True, allow_reuse=True)(strings)
    _ints = validator("max_scope", "max_targets", pre=True, allow_reuse=True)(positive_int)
    _upper = validator("category", "direction", allow_reuse=True)(lambda v: str(v).upper())
    _direction = validator("direction", allow_reuse=True)(one_of(DIRECTIONS))

    @root_validator(skip_on_failure=True)
    def _findable(cls, values: dict) -> dict:
        if not values["phrases"] and not values["patterns"]:
            raise ValueError("needs at least one of 'phrases' or 'patterns'")
        return values


class ModifiersModel(Entry):
    categories: Dict[str, CategoryModel] = {}
    medspacy_defaults: DefaultsModel = DefaultsModel()
    rules: List[RuleModel] = []

    @validator("categories", "rules", "medspacy_defaults", pre=True)
    def _empty(cls, value: Any, field) -> Any:
        return value or field.default


class ContextSpellingModel(Entry):
    """A dialect word read differently next to certain words (bot/safety/normalise.py)."""

    word: str
    reads_as: str
    before: Tuple[str, ...] = ()
    after: Tuple[str, ...] = ()
    not_after: Tuple[str, ...] = ()
    before_name: bool = False
    joins_next: bool = False

    @validator("word", "reads_as")
    def _lower(cls, value: str) -> str:
        value = value.strip().lower()
        if not value:
            raise ValueError("must not be empty")
        return value

    @validator("before", "after", "not_after", pre=True)
    def _words(cls, value: Any) -> Any:
        words = tuple(str(w).strip().lower() for w in strings(value))
        bad = [w for w in words if not _WORD.match(w)]
        if bad:
            raise ValueError(f"one word each: {bad}")
        return words


class LexiconModel(Entry):
    """The whole file."""

    version: Any = 1
    sources: Dict[str, SourceModel] = {}
    spellings: Dict[str, str] = {}
    spellings_in_context: List[ContextSpellingModel] = []
    co_occurrence: CoOccurrenceModel = CoOccurrenceModel()
    terms: Dict[str, Tuple[str, ...]] = {}
    flags: List[FlagModel]
    helpers: List[TargetModel] = []
    info_topics: List[TargetModel] = []
    shadows: List[TargetModel] = []
    modifiers: ModifiersModel = ModifiersModel()

    @validator(
        "sources",
        "spellings",
        "spellings_in_context",
        "co_occurrence",
        "terms",
        "helpers",
        "info_topics",
        "shadows",
        "modifiers",
        pre=True,
    )
    def _empty(cls, value: Any, field) -> Any:
        return value or field.default

    @validator("version")
    def _version(cls, value: Any) -> Any:
        if value != 1:
            raise ValueError(f"unsupported lexicon version {value!r} (expected 1)")
        return value

    @validator("terms", pre=True)
    def _terms(cls, value: Any) -> Any:
        if not isinstance(value, dict):
            return value
        out = {}
        for name, values in value.items():
            out[name] = strings(values)
            if not out[name]:
                raise ValueError(f"{name}: empty term list")
        return out

    @validator("spellings", pre=True)
    def _spellings(cls, value: Any) -> Any:
        if not isinstance(value, dict):
            return value
        out = {}
        for word, replacement in value.items():
            word = str(word).strip().lower()
            if not isinstance(replacement, str) or not replacement.strip():
                raise ValueError(f"{word}: the replacement must be a non-empty string")
            if not _WORD.match(word):
                raise ValueError(f"{word}: a spelling is one lower-case word of letters and digits")
            out[word] = replacement.strip().lower()
        return out

    @validator("flags", pre=True)
    def _flags(cls, value: Any) -> Any:
        if not isinstance(value, list) or not value:
            raise ValueError("must be a non-empty list")
        return value


# --------------------------------------------------------------------------- reading and cross-references


def _key(loc: Tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        if part == "__root__":
            continue
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "top level"


def parse(data: Any, shown: str) -> LexiconModel:
    """The file's data as a :class:`LexiconModel`, cross-checked; a LexiconError names file and key."""
    if not isinstance(data, dict):
        raise LexiconError(f"{shown}: top level: expected a mapping with 'flags', 'modifiers', ...")
    try:
        model = LexiconModel.parse_obj(data)
    except ValidationError as exc:
        raise LexiconError("\n".join(f"{shown}: {_key(e['loc'])}: {e['msg']}" for e in exc.errors())) from None
    problems = list(cross_check(model))
    if problems:
        raise LexiconError("\n".join(f"{shown}: {where}: {message}" for where, message in problems))
    return model


def cross_check(model: LexiconModel) -> Iterator[Tuple[str, str]]:
    """(key path, problem) for every reference to something the file does not declare."""
    seen: set = set()
    sources = {(s.title, s.url) for s in model.sources.values()}
    for key in ("flags", "helpers", "info_topics", "shadows"):
        for i, entry in enumerate(getattr(model, key)):
            if entry.id in seen:
                yield f"{key}[{i}].id", f"duplicate id {entry.id!r}"
            seen.add(entry.id)
    for i, flag in enumerate(model.flags):
        if model.sources and (flag.source.title, flag.source.url) not in sources:
            yield f"flags[{i}].source", "is none of the entries of 'sources' (use its anchor, e.g. *nice_ng59)"
    flag_ids = {f.id for f in model.flags}
    helper_ids = {h.id for h in model.helpers}
    for i, flag in enumerate(model.flags):
        for name in flag.requires_any:
            if name not in helper_ids | flag_ids:
                yield f"flags[{i}].requires_any", f"names unknown id {name!r}"
    modifiers = model.modifiers
    categories = {name.upper() for name in modifiers.categories} | {"PSEUDO"}
    for name, category in modifiers.categories.items():
        for helper in category.unless_helpers:
            if helper not in helper_ids:
                yield f"modifiers.categories.{name}.unless_helpers", f"names unknown helper {helper!r}"
    for name in modifiers.medspacy_defaults.keep_categories:
        if name not in categories:
            yield "modifiers.medspacy_defaults.keep_categories", f"category {name} has no entry in modifiers.categories"
    known = flag_ids | helper_ids | {f.group for f in model.flags}
    for i, rule in enumerate(modifiers.rules):
        if rule.category not in categories:
            yield (
                f"modifiers.rules[{i}].category",
                f"unknown category {rule.category!r}; declare it in modifiers.categories",
            )
        for name in rule.applies_to:
            if name not in known:
                yield f"modifiers.rules[{i}].applies_to", f"names unknown flag, helper or group {name!r}"
