"""The assistant's one configuration: every location, environment override and limit, typed, read once.

`Settings.from_env(environ)` reads the `BACKCARE_*` variables (docs/architecture.md,
"Configuration"); a path that is not set is found under `BACKCARE_ROOT`, so moving
the root moves everything, and a relative path in a variable is taken from the
root too. A bad value stops the process with a message naming the variable or
the file and key, never a traceback from deep inside a loader.

Each `Settings` owns a cache of what was read through it (`cached`), so a test
that builds its own settings gets its own data and nothing needs clearing. The
process's settings (`current()`) are built on first use; `using()` swaps them
for a block of code.
"""

from __future__ import annotations

import os
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable, Iterator, Literal, Mapping, Optional, TypeVar

import yaml
from pydantic import BaseModel, PositiveFloat, PositiveInt, PrivateAttr, ValidationError, conint

T = TypeVar("T")
DEFAULT_ROOT = Path(__file__).resolve().parents[2]

# field -> (environment variable, default relative to the root); None: not a path under the root
_PATHS = {
    "facts_dir": ("BACKCARE_FACTS_DIR", "content/facts"),
    "sources_file": ("BACKCARE_SOURCES_FILE", "content/sources.yml"),
    "regions_dir": ("BACKCARE_REGIONS_DIR", "content/regions"),
    "routing_file": ("BACKCARE_ROUTING_FILE", "content/routing.yml"),
    "topics_file": ("BACKCARE_TOPICS_FILE", "content/topics.yml"),
    "clinic_file": ("BACKCARE_CLINIC_FILE", "content/clinic.yml"),
    "red_flags_file": ("BACKCARE_RED_FLAGS_FILE", "content/red_flags.yml"),
    "channels_file": ("BACKCARE_CHANNELS_FILE", "content/channels.yml"),
    "nlu_dir": ("BACKCARE_NLU_DIR", "data/nlu"),
    "models_dir": ("BACKCARE_MODELS_DIR", "models"),
    "state_dir": ("BACKCARE_STATE_DIR", ".state"),
}
# field -> environment variable, for the values that are not paths
_VALUES = {
    "db_url": "BACKCARE_DB_URL",
    "tracker_db_url": "BACKCARE_TRACKER_DB_URL",
    "profile": "BACKCARE_PROFILE",
    "host": "BACKCARE_HOST",
    "port": "BACKCARE_PORT",
    "actions_host": "BACKCARE_ACTIONS_HOST",
    "actions_port": "BACKCARE_ACTIONS_PORT",
    "api_token": "BACKCARE_API_TOKEN",
    "admin_token": "BACKCARE_ADMIN_TOKEN",
    "log_level": "BACKCARE_LOG_LEVEL",
    "turn_timeout_seconds": "BACKCARE_TURN_TIMEOUT_SECONDS",
    "retention": "BACKCARE_RETENTION",
}
ENV_OF = {**{field: env for field, (env, _) in _PATHS.items()}, **_VALUES, "root": "BACKCARE_ROOT"}


class ConfigError(ValueError):
    """A setting or a content file has a value the assistant cannot use; the message says where."""


class RateLimit(BaseModel):
    burst: PositiveInt
    refill_seconds: PositiveFloat

    class Config:
        extra = "forbid"


class Limits(BaseModel):
    """content/channels.yml: what every channel applies before a message reaches the assistant."""

    max_message_chars: PositiveInt
    rate_limit: RateLimit
    turn_timeout_seconds: PositiveFloat

    class Config:
        extra = "forbid"
        allow_mutation = False

    @property
    def burst(self) -> int:
        return self.rate_limit.burst

    @property
    def refill_seconds(self) -> float:
        return self.rate_limit.refill_seconds

    def public(self) -> dict[str, Any]:
        """What a client may know and use itself (the widget's input length)."""
        return {"max_message_chars": self.max_message_chars}


class Settings(BaseModel):
    """Every setting of the assistant; see docs/architecture.md, "Configuration", for each one."""

    root: Path = DEFAULT_ROOT
    facts_dir: Path
    sources_file: Path
    regions_dir: Path
    routing_file: Path
    topics_file: Path
    clinic_file: Path
    red_flags_file: Path
    channels_file: Path
    nlu_dir: Path
    models_dir: Path
    state_dir: Path
    db_url: Optional[str] = None
    tracker_db_url: Optional[str] = None
    profile: Literal["embedded", "production"] = "embedded"
    host: str = "127.0.0.1"
    port: conint(ge=1, le=65535) = 5005  # type: ignore[valid-type]
    actions_host: str = "127.0.0.1"
    actions_port: conint(ge=1, le=65535) = 5055  # type: ignore[valid-type]
    api_token: Optional[str] = None
    admin_token: Optional[str] = None
    log_level: Literal["debug", "info", "warning", "error"] = "warning"
    turn_timeout_seconds: Optional[PositiveFloat] = None
    retention: str = "30d"

    _cache: dict = PrivateAttr(default_factory=dict)
    _lock: Any = PrivateAttr(default_factory=threading.RLock)

    class Config:
        allow_mutation = False
        extra = "forbid"

    # -- building

    @classmethod
    def from_env(cls, environ: Mapping[str, str], **overrides: Any) -> "Settings":
        """The settings an environment describes; `overrides` (field names) win over it."""
        given = {field: environ[env].strip() for field, env in ENV_OF.items() if environ.get(env, "").strip()}
        for field in ("log_level", "profile"):
            if field in given:
                given[field] = given[field].lower()
        given.update(overrides)
        root = Path(given.get("root", DEFAULT_ROOT))
        values: dict[str, Any] = {"root": root}
        for field, (_, default) in _PATHS.items():
            path = Path(given.get(field, default))
            values[field] = path if path.is_absolute() else root / path
        values.update({f: given[f] for f in _VALUES if f in given})
        try:
            settings = cls(**values)
        except ValidationError as exc:
            raise ConfigError(_environment_error(exc, given, overrides)) from None
        return settings

    # -- derived values

    @property
    def content_dir(self) -> Path:
        return self.root / "content"

    @property
    def facts_db_url(self) -> str:
        """The fact base's database; an SQLite file in the state directory by default."""
        return self.db_url or f"sqlite:///{self.state_dir / 'facts.db'}"

    @property
    def conversations_db(self) -> Path:
        """The embedded profile's conversation store (Rasa's SQL tracker store on SQLite)."""
        return self.state_dir / "conversations.db"

    @property
    def conversations_url(self) -> str:
        """Where the conversations are: `BACKCARE_TRACKER_DB_URL`, else the embedded SQLite file."""
        return self.tracker_db_url or f"sqlite:///{self.conversations_db}"

    def shown(self, path: Path) -> str:
        """A path as messages show it: relative to the root when it is inside."""
        try:
            return str(Path(path).relative_to(self.root))
        except ValueError:
            return str(path)

    # -- content read through these settings

    def cached(self, key: Any, build: Callable[[], T]) -> T:
        """`build()` once per key for these settings (content changes need a restart)."""
        with self._lock:
            if key not in self._cache:
                self._cache[key] = build()
            return self._cache[key]

    def read_yaml(self, path: Path) -> Any:
        """A YAML file's data; a file that is not YAML raises ConfigError naming it."""
        try:
            return yaml.safe_load(Path(path).read_text(encoding="utf-8"))
        except yaml.YAMLError as exc:
            raise ConfigError(f"{self.shown(path)}: not valid YAML: {exc}") from None

    def checked(self, model: type[BaseModel], path: Path, data: Any = None, under: str = "") -> Any:
        """`data` (default: the file's) as `model`; a bad value raises ConfigError naming file and key."""
        data = self.read_yaml(path) if data is None else data
        try:
            return model.parse_obj(data)
        except ValidationError as exc:
            raise ConfigError(_file_error(self.shown(path), exc, data, under)) from None

    @property
    def limits(self) -> Limits:
        """content/channels.yml, with `BACKCARE_TURN_TIMEOUT_SECONDS` over its turn timeout."""

        def build() -> Limits:
            limits = self.checked(Limits, self.channels_file)
            if self.turn_timeout_seconds is None:
                return limits
            return limits.copy(update={"turn_timeout_seconds": self.turn_timeout_seconds})

        return self.cached("limits", build)


def _got(data: Any, loc: tuple) -> str:
    for key in loc:
        try:
            data = data[key]
        except (KeyError, IndexError, TypeError):
            return ""
    return f", got {data!r}"


def _file_error(shown: str, exc: ValidationError, data: Any, under: str) -> str:
    lines = []
    for error in exc.errors():
        key = ".".join(str(part) for part in ((under,) if under else ()) + tuple(error["loc"]) if part != "__root__")
        lines.append(f"{shown}: {key or '(top level)'}: {error['msg']}{_got(data, error['loc'])}")
    return "\n".join(lines)


def _environment_error(exc: ValidationError, given: Mapping[str, Any], overrides: Mapping[str, Any]) -> str:
    lines = []
    for error in exc.errors():
        field = str(error["loc"][0])
        where = f"setting {field}" if field in overrides else f"environment variable {ENV_OF.get(field, field)}"
        got = f", got {given[field]!r}" if field in given else ""
        lines.append(f"{where}: {error['msg']}{got}")
    return "\n".join(lines)


# -- the process's settings

_current: Optional[Settings] = None
_current_lock = threading.Lock()


def current() -> Settings:
    """This process's settings, read from its environment on first use."""
    global _current
    if _current is None:
        with _current_lock:
            if _current is None:
                _current = Settings.from_env(os.environ)
    return _current


def use(settings: Optional[Settings]) -> Optional[Settings]:
    """Make `settings` the process's settings (None: read the environment again); returns the previous."""
    global _current
    with _current_lock:
        previous, _current = _current, settings
    return previous


@contextmanager
def using(settings: Settings) -> Iterator[Settings]:
    """The process's settings are `settings` inside the block."""
    previous = use(settings)
    try:
        yield settings
    finally:
        use(previous)


def or_current(settings: Optional[Settings]) -> Settings:
    """`settings`, or the process's when None: the default of every `settings` argument."""
    return settings if settings is not None else current()
