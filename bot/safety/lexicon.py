"""Load and validate the red-flag lexicon (content/red_flags.yml).

The lexicon is data, not code: every flag with its level, group and source,
the phrases and token patterns that find it, the helper terms some flags need
(e.g. "a fall" only matters with osteoporosis), idioms that must not fire, and
the ConText modifier rules, the co-occurrence rules that let a flag generalise
beyond its fixed phrases (a body area and a deficit in one clause), and the
texting spellings normalised before matching. This module turns the YAML into
plain objects and refuses a malformed file with a :class:`LexiconError` that
names the file and the entry at fault, so a bad edit fails when the server
starts, loudly.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Dict, List, Mapping, Optional, Sequence, Tuple

import yaml

from bot.core.config import current
from bot.core.levels import FLAG_LEVELS, LEVELS

from .patterns import PatternError, compile_pattern

# BACKCARE_ROOT and BACKCARE_RED_FLAGS_FILE, through the process's settings (bot.core.config)
REPO_ROOT = current().root
DEFAULT_LEXICON_PATH = current().red_flags_file

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


class LexiconError(ValueError):
    """The lexicon file is missing, unreadable or malformed."""


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


# --------------------------------------------------------------------------- helpers


class _Ctx:
    """Carries the file name into every error message."""

    def __init__(self, path: Path):
        self.path = path

    def fail(self, where: str, message: str) -> LexiconError:
        return LexiconError(f"{self.path}: {where}: {message}")


def _str_list(ctx: _Ctx, where: str, value: Any, key: str) -> Tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ctx.fail(where, f"'{key}' must be a list of non-empty strings")
    return tuple(v.strip() for v in value)


def _mapping(ctx: _Ctx, where: str, value: Any) -> Mapping[str, Any]:
    if not isinstance(value, dict):
        raise ctx.fail(where, f"expected a mapping, got {type(value).__name__}")
    return value


def _check_keys(ctx: _Ctx, where: str, entry: Mapping[str, Any], allowed: Sequence[str]) -> None:
    unknown = sorted(set(entry) - set(allowed))
    if unknown:
        raise ctx.fail(where, f"unknown key(s) {unknown}; allowed: {sorted(allowed)}")


def _optional_int(ctx: _Ctx, where: str, value: Any, key: str) -> Optional[int]:
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
        raise ctx.fail(where, f"'{key}' must be a positive integer")
    return value


def _compile_all(
    ctx: _Ctx,
    where: str,
    patterns: Sequence[str],
    terms: Mapping[str, Sequence[str]],
    tokenize: Optional[Callable[[str], List[str]]],
    cache: Optional[dict] = None,
) -> Tuple[Tuple[dict, ...], ...]:
    if tokenize is None:
        return ()
    compiled: List[Tuple[dict, ...]] = []
    for pattern in patterns:
        try:
            compiled.extend(tuple(seq) for seq in compile_pattern(pattern, terms, tokenize, cache=cache))
        except PatternError as exc:
            raise ctx.fail(where, f"pattern {pattern!r}: {exc}") from None
    return tuple(compiled)


def _target(
    ctx: _Ctx,
    where: str,
    entry: Mapping[str, Any],
    terms: Mapping[str, Sequence[str]],
    tokenize,
    extra_keys: Sequence[str] = (),
    cache: Optional[dict] = None,
) -> Dict[str, Any]:
    _check_keys(ctx, where, entry, ("id", "phrases", "patterns", "description", *extra_keys))
    target_id = entry.get("id")
    if not isinstance(target_id, str) or not target_id.strip() or " " in target_id:
        raise ctx.fail(where, "'id' must be a non-empty string without spaces")
    where = f"{where} ({target_id})"
    phrases = tuple(p.lower() for p in _str_list(ctx, where, entry.get("phrases"), "phrases"))
    patterns = _str_list(ctx, where, entry.get("patterns"), "patterns")
    if not phrases and not patterns and not entry.get("co_occur"):
        raise ctx.fail(where, "needs at least one of 'phrases' or 'patterns'")
    description = entry.get("description", "")
    if not isinstance(description, str):
        raise ctx.fail(where, "'description' must be a string")
    return {
        "id": target_id,
        "phrases": phrases,
        "patterns": patterns,
        "token_patterns": _compile_all(ctx, where, patterns, terms, tokenize, cache),
        "description": description.strip(),
    }


def _co_occur_rules(
    ctx: _Ctx, where: str, value: Any, default_within: int
) -> Tuple[CoOccurRule, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not value:
        raise ctx.fail(where, "'co_occur' must be a non-empty list of {all: [...], within: N}")
    rules = []
    for i, entry in enumerate(value):
        here = f"{where} co_occur[{i}]"
        entry = _mapping(ctx, here, entry)
        _check_keys(ctx, here, entry, ("all", "within", "unless", "note"))
        elements = _str_list(ctx, here, entry.get("all"), "all")
        unless = _str_list(ctx, here, entry.get("unless"), "unless")
        if not elements or (len(elements) < 2 and not unless):
            raise ctx.fail(here, "'all' needs at least two elements (one alone is a pattern, unless it has an 'unless')")
        within = _optional_int(ctx, here, entry.get("within"), "within") or default_within
        rules.append(
            CoOccurRule(
                elements=elements,
                within=within,
                unless=unless,
                note=str(entry.get("note", "")).strip(),
            )
        )
    return tuple(rules)


_WORD = re.compile(r"^[a-z0-9]+$")  # what the normaliser sees as one word


def _spellings(ctx: _Ctx, value: Any) -> Dict[str, str]:
    out: Dict[str, str] = {}
    for word, replacement in _mapping(ctx, "spellings", value or {}).items():
        word = str(word).strip().lower()
        if not isinstance(replacement, str) or not replacement.strip():
            raise ctx.fail(f"spellings.{word}", "the replacement must be a non-empty string")
        if not _WORD.match(word) or " " in word:
            raise ctx.fail(f"spellings.{word}", "a spelling is one lower-case word of letters and digits")
        out[word] = replacement.strip().lower()
    return out


# --------------------------------------------------------------------------- loader


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


def load_lexicon(
    path: str | Path | None = None,
    tokenize: Optional[Callable[[str], List[str]]] = None,
) -> Lexicon:
    """Read, validate and (when ``tokenize`` is given) compile the lexicon."""
    path = Path(path) if path is not None else DEFAULT_LEXICON_PATH
    ctx = _Ctx(path)
    data = read_yaml(path)
    if tokenize is not None:
        # the same alternatives are tokenised hundreds of times: remember them
        tokenize = functools.lru_cache(maxsize=None)(tokenize)
    cache: dict = {}  # compiled @term lists, shared by every pattern
    if not isinstance(data, dict):
        raise ctx.fail("top level", "expected a mapping with 'flags', 'modifiers', ...")
    _check_keys(
        ctx,
        "top level",
        data,
        (
            "version", "sources", "terms", "flags", "helpers", "info_topics", "shadows", "modifiers",
            "spellings", "co_occurrence",
        ),
    )
    version = data.get("version", 1)
    if version != 1:
        raise ctx.fail("version", f"unsupported lexicon version {version!r} (expected 1)")

    # terms ---------------------------------------------------------------
    terms: Dict[str, Tuple[str, ...]] = {}
    for name, values in _mapping(ctx, "terms", data.get("terms") or {}).items():
        terms[str(name)] = _str_list(ctx, f"terms.{name}", values, name)
        if not terms[str(name)]:
            raise ctx.fail(f"terms.{name}", "empty term list")

    # co-occurrence settings -----------------------------------------------
    co_cfg = _mapping(ctx, "co_occurrence", data.get("co_occurrence") or {})
    _check_keys(ctx, "co_occurrence", co_cfg, ("barriers", "gap_blockers", "default_within"))
    co_settings = CoOccurrenceSettings(
        barriers=frozenset(w.lower() for w in _str_list(ctx, "co_occurrence", co_cfg.get("barriers"), "barriers")),
        gap_blockers=frozenset(
            w.lower() for w in _str_list(ctx, "co_occurrence", co_cfg.get("gap_blockers"), "gap_blockers")
        ),
        default_within=_optional_int(ctx, "co_occurrence", co_cfg.get("default_within"), "default_within") or 8,
    )

    # flags ---------------------------------------------------------------
    raw_flags = data.get("flags")
    if not isinstance(raw_flags, list) or not raw_flags:
        raise ctx.fail("flags", "must be a non-empty list")
    flags: List[FlagSpec] = []
    seen_ids: set = set()
    for i, entry in enumerate(raw_flags):
        where = f"flags[{i}]"
        entry = _mapping(ctx, where, entry)
        base = _target(
            ctx,
            where,
            entry,
            terms,
            tokenize,
            extra_keys=("group", "level", "source", "past_is_relevant", "requires_any", "otherwise_level", "co_occur"),
            cache=cache,
        )
        where = f"{where} ({base['id']})"
        if base["id"] in seen_ids:
            raise ctx.fail(where, "duplicate id")
        seen_ids.add(base["id"])
        group = entry.get("group")
        if not isinstance(group, str) or not group.strip():
            raise ctx.fail(where, "'group' is required")
        level = entry.get("level")
        if level not in FLAG_LEVELS:
            raise ctx.fail(where, f"'level' must be one of {list(FLAG_LEVELS)}, got {level!r}")
        source = entry.get("source")
        if not isinstance(source, dict) or not isinstance(source.get("title"), str) or not isinstance(source.get("url"), str):
            raise ctx.fail(where, "'source' must have a 'title' and a 'url'")
        if not source["url"].startswith("https://"):
            raise ctx.fail(where, f"source url must be https: {source['url']!r}")
        otherwise = entry.get("otherwise_level", "none")
        if otherwise not in LEVELS:
            raise ctx.fail(where, f"'otherwise_level' must be one of {list(LEVELS)}")
        past = entry.get("past_is_relevant", False)
        if past not in (True, False, "recent"):
            raise ctx.fail(where, "'past_is_relevant' must be true, false or recent")
        flags.append(
            FlagSpec(
                **base,
                group=group.strip(),
                level=level,
                source=Source(title=source["title"].strip(), url=source["url"].strip()),
                past_is_relevant=past,
                requires_any=_str_list(ctx, where, entry.get("requires_any"), "requires_any"),
                otherwise_level=otherwise,
                co_occur=_co_occur_rules(ctx, where, entry.get("co_occur"), co_settings.default_within),
            )
        )

    # every co-occurrence element is compiled once, whichever flags share it
    elements: Dict[str, Tuple[Tuple[dict, ...], ...]] = {}
    for spec in flags:
        for i, rule in enumerate(spec.co_occur):
            for element in rule.elements + rule.unless:
                if element not in elements:
                    elements[element] = _compile_all(
                        ctx, f"flags ({spec.id}) co_occur[{i}]", [element], terms, tokenize, cache
                    )

    def targets(key: str) -> List[Target]:
        out = []
        for i, entry in enumerate(data.get(key) or []):
            where = f"{key}[{i}]"
            base = _target(ctx, where, _mapping(ctx, where, entry), terms, tokenize, cache=cache)
            if base["id"] in seen_ids:
                raise ctx.fail(where, f"duplicate id {base['id']!r}")
            seen_ids.add(base["id"])
            out.append(Target(**base))
        return out

    helpers = targets("helpers")
    info_topics = targets("info_topics")
    shadows = targets("shadows")
    helper_ids = {h.id for h in helpers}
    flag_ids = {f.id for f in flags}
    for spec in flags:
        for req in spec.requires_any:
            if req not in helper_ids and req not in flag_ids:
                raise ctx.fail(f"flags ({spec.id})", f"requires_any names unknown id {req!r}")

    # modifiers -----------------------------------------------------------
    modifiers = _mapping(ctx, "modifiers", data.get("modifiers") or {})
    _check_keys(ctx, "modifiers", modifiers, ("categories", "medspacy_defaults", "rules"))
    categories: Dict[str, ModifierCategory] = {}
    for name, cfg in _mapping(ctx, "modifiers.categories", modifiers.get("categories") or {}).items():
        where = f"modifiers.categories.{name}"
        cfg = _mapping(ctx, where, cfg)
        _check_keys(
            ctx,
            where,
            cfg,
            (
                "effect",
                "max_scope",
                "stop_between",
                "clause_starters",
                "ongoing_in_sentence",
                "target_blockers",
                "ongoing_unless_after",
                "clause_boundaries",
                "unless_helpers",
                "description",
                "fronted_crosses_clauses",
            ),
        )
        effect = cfg.get("effect")
        if effect not in EFFECTS:
            raise ctx.fail(where, f"'effect' must be one of {list(EFFECTS)}, got {effect!r}")
        unless = _str_list(ctx, where, cfg.get("unless_helpers"), "unless_helpers")
        for helper in unless:
            if helper not in helper_ids:
                raise ctx.fail(where, f"unless_helpers names unknown helper {helper!r}")
        categories[name.upper()] = ModifierCategory(
            name=name.upper(),
            effect=effect,
            max_scope=_optional_int(ctx, where, cfg.get("max_scope"), "max_scope"),
            stop_between=frozenset(w.lower() for w in _str_list(ctx, where, cfg.get("stop_between"), "stop_between")),
            clause_starters=frozenset(
                w.lower() for w in _str_list(ctx, where, cfg.get("clause_starters"), "clause_starters")
            ),
            ongoing_in_sentence=frozenset(
                w.lower() for w in _str_list(ctx, where, cfg.get("ongoing_in_sentence"), "ongoing_in_sentence")
            ),
            target_blockers=frozenset(
                w.lower() for w in _str_list(ctx, where, cfg.get("target_blockers"), "target_blockers")
            ),
            ongoing_unless_after=frozenset(
                w.lower() for w in _str_list(ctx, where, cfg.get("ongoing_unless_after"), "ongoing_unless_after")
            ),
            clause_boundaries=frozenset(
                w.lower() for w in _str_list(ctx, where, cfg.get("clause_boundaries"), "clause_boundaries")
            ),
            unless_helpers=unless,
            description=str(cfg.get("description", "")).strip(),
            fronted_crosses_clauses=bool(cfg.get("fronted_crosses_clauses", False)),
        )
    if "PSEUDO" not in categories:
        categories["PSEUDO"] = ModifierCategory(name="PSEUDO", effect="keep")

    defaults_cfg = _mapping(ctx, "modifiers.medspacy_defaults", modifiers.get("medspacy_defaults") or {"use": False})
    _check_keys(ctx, "modifiers.medspacy_defaults", defaults_cfg, ("use", "keep_categories", "exclude"))
    default_context = DefaultContextRules(
        use=bool(defaults_cfg.get("use", False)),
        keep_categories=tuple(
            c.upper() for c in _str_list(ctx, "modifiers.medspacy_defaults", defaults_cfg.get("keep_categories"), "keep_categories")
        ),
        exclude=_str_list(ctx, "modifiers.medspacy_defaults", defaults_cfg.get("exclude"), "exclude"),
    )
    for cat in default_context.keep_categories:
        if cat not in categories:
            raise ctx.fail("modifiers.medspacy_defaults", f"category {cat} has no entry in modifiers.categories")

    known_applies = flag_ids | helper_ids | {f.group for f in flags}
    rules: List[ModifierRule] = []
    for i, entry in enumerate(modifiers.get("rules") or []):
        where = f"modifiers.rules[{i}]"
        entry = _mapping(ctx, where, entry)
        _check_keys(
            ctx,
            where,
            entry,
            ("category", "direction", "phrases", "patterns", "max_scope", "max_targets", "applies_to", "note"),
        )
        category = str(entry.get("category", "")).upper()
        if category not in categories:
            raise ctx.fail(where, f"unknown category {entry.get('category')!r}; declare it in modifiers.categories")
        direction = str(entry.get("direction", "")).upper()
        if direction not in DIRECTIONS:
            raise ctx.fail(where, f"'direction' must be one of {list(DIRECTIONS)}")
        phrases = tuple(p.lower() for p in _str_list(ctx, where, entry.get("phrases"), "phrases"))
        patterns = _str_list(ctx, where, entry.get("patterns"), "patterns")
        if not phrases and not patterns:
            raise ctx.fail(where, "needs at least one of 'phrases' or 'patterns'")
        applies_to = _str_list(ctx, where, entry.get("applies_to"), "applies_to")
        for name in applies_to:
            if name not in known_applies:
                raise ctx.fail(where, f"applies_to names unknown flag, helper or group {name!r}")
        rules.append(
            ModifierRule(
                category=category,
                direction=direction,
                phrases=phrases,
                patterns=patterns,
                token_patterns=_compile_all(ctx, where, patterns, terms, tokenize, cache),
                max_scope=_optional_int(ctx, where, entry.get("max_scope"), "max_scope"),
                max_targets=_optional_int(ctx, where, entry.get("max_targets"), "max_targets"),
                applies_to=applies_to,
                note=str(entry.get("note", "")).strip(),
            )
        )

    return Lexicon(
        path=path,
        version=version,
        terms=terms,
        flags=flags,
        helpers=helpers,
        info_topics=info_topics,
        shadows=shadows,
        categories=categories,
        modifier_rules=rules,
        default_context=default_context,
        spellings=_spellings(ctx, data.get("spellings")),
        co_occurrence=co_settings,
        elements=elements,
    )
