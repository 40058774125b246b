"""Rasa NLU component that runs the red-flag detector on every user message.

Put it LAST in the NLU pipeline (after the intent classifier and FallbackClassifier)::

    pipeline:
      ...
      - name: FallbackClassifier
      - name: bot.rasa.red_flag_component.RedFlagComponent
        lexicon: content/red_flags.yml      # default; relative to the working directory

For every message it assesses the raw text and

* adds the entities ``triage`` (the level) and ``red_flag`` (the group of the
  highest flag) when the level is not ``none``;
* for ``emergency`` / ``urgent`` overrides the intent with ``triage_emergency`` /
  ``triage_urgent`` (confidence 1.0, first in ``intent_ranking``, the model's own
  ranking kept after it), so the rules answer with the domain responses
  ``utter_triage_*`` whatever the classifier thought;
* leaves the intent alone otherwise (a general "what are the red flags?" is
  routed by the NLU model to ``triage.red_flags_info``).

Beside the rules it runs a learned triage model (bot/safety/learned.py), and
the higher of the two levels wins (bot/safety/triage.py). The model is trained
here, in ``train()``, from the safety corpus (data/safety/: the train split,
thresholds on the dev split, see bot/safety/corpus.py), so `make train` builds
it and it is packaged inside the Rasa model; Rasa's training cache keys it by a
hash of the corpus and the lexicon (:meth:`fingerprint_addon`), because the
corpus is not part of the NLU training data Rasa fingerprints itself. Which one
fired (``rule`` or ``model``, the rule's flag or the model's score) is logged
and added to the parse result as ``triage_source``.

The lexicon is read when the model is loaded (server start), so a lexicon edit
needs a restart, not a retrain. A missing or unreadable learned model leaves
the rules working alone (logged as an error), never a server that cannot answer.
"""

from __future__ import annotations

import hashlib
import logging
import pickle
import threading
from pathlib import Path
from typing import Any, Dict, List, Optional

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import ENTITY_ATTRIBUTE_CONFIDENCE_TYPE
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.shared.nlu.constants import (
    ENTITIES,
    ENTITY_ATTRIBUTE_END,
    ENTITY_ATTRIBUTE_START,
    ENTITY_ATTRIBUTE_TYPE,
    ENTITY_ATTRIBUTE_VALUE,
    EXTRACTOR,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message

from bot.core.config import current
from bot.core.levels import EMERGENCY, NONE, URGENT
from bot.rasa.intent_override import override_intent
from bot.safety.corpus import CorpusError, corpus_fingerprint
from bot.safety.lexicon import LexiconError
from bot.safety.triage import MODEL, Triage, train_from_corpus

logger = logging.getLogger(__name__)

TRIAGE_ENTITY = "triage"
RED_FLAG_ENTITY = "red_flag"
TRIAGE_INTENTS = {EMERGENCY: "triage_emergency", URGENT: "triage_urgent"}
DEFAULT_LEXICON = "content/red_flags.yml"
DEFAULT_CORPUS = "data/safety"
MODEL_FILE = "triage_model.pkl"
TRIAGE_SOURCE_KEY = "triage_source"

_DETECTORS: Dict[Path, Any] = {}
_LOCK = threading.Lock()


def resolve_lexicon_path(configured: Optional[str]) -> Path:
    """The lexicon path: the settings' red-flags file unless config.yml names another one.

    Another path is taken relative to the working directory, and when it does not
    exist there relative to the project root, so the server also works when
    started elsewhere.
    """
    settings = current()
    if configured in (None, DEFAULT_LEXICON):  # the default is the settings' (BACKCARE_RED_FLAGS_FILE)
        return settings.red_flags_file.resolve()
    path = Path(configured)
    if path.is_absolute() or path.exists():
        return path.resolve()
    in_repo = settings.root / path
    if in_repo.exists():
        return in_repo.resolve()
    raise LexiconError(f"{path}: red-flag lexicon not found (working directory: {Path.cwd()})")


def get_detector(path: Path):
    """One detector per lexicon file per process (building one takes about a second)."""
    from bot.safety.detector import RedFlagDetector

    with _LOCK:
        detector = _DETECTORS.get(path)
        if detector is None:
            detector = RedFlagDetector.from_yaml(path)
            _DETECTORS[path] = detector
            logger.info("Red-flag lexicon loaded from %s (%d flags)", path, len(detector.lexicon.flags))
        return detector


def resolve_corpus_dir(configured: Optional[str]) -> Path:
    path = Path(configured or DEFAULT_CORPUS)
    if path.is_absolute() or path.exists():
        return path.resolve()
    return (current().root / path).resolve()


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=True)
class RedFlagComponent(GraphComponent, EntityExtractorMixin):
    """Runs the red-flag detector and the learned triage model on the raw text of every message."""

    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        return {
            "lexicon": DEFAULT_LEXICON,
            # data/safety/{splits.yml, batches/*.jsonl}; data/safety/labelled_set.yml joins as splits.yml says
            "corpus": DEFAULT_CORPUS,
            "learned_model": True,
            # false alarms (benign raised to urgent or higher) allowed on the dev split when
            # the model's thresholds are chosen; below the 5% target to leave a margin
            "false_alarm_budget": 0.04,
        }

    @staticmethod
    def required_packages() -> List[str]:
        return ["spacy", "medspacy", "sklearn"]

    @classmethod
    def fingerprint_addon(cls, config: Dict[str, Any]) -> Optional[str]:
        """The corpus and the lexicon are read by train() but are not graph inputs: hash them."""
        try:
            config = {**cls.get_default_config(), **(config or {})}
            corpus = resolve_corpus_dir(config.get("corpus"))
            lexicon = resolve_lexicon_path(config.get("lexicon"))
            digest = hashlib.sha256(lexicon.read_bytes()).hexdigest()[:16]
            return corpus_fingerprint(corpus / "batches", corpus / "splits.yml", extra=[]) + digest
        except (OSError, LexiconError):
            return None

    @classmethod
    def create(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "RedFlagComponent":
        return cls(config, model_storage=model_storage, resource=resource)

    def __init__(
        self,
        config: Dict[str, Any],
        detector: Any = None,
        model: Any = None,
        model_storage: Optional[ModelStorage] = None,
        resource: Optional[Resource] = None,
    ) -> None:
        self._config = {**self.get_default_config(), **(config or {})}
        self.lexicon_path = resolve_lexicon_path(self._config.get("lexicon"))
        # loaded now (model load = server start), never lazily on the first message
        self.detector = detector if detector is not None else get_detector(self.lexicon_path)
        self.model = model
        self.triage = Triage(self.detector, model)
        self._model_storage = model_storage
        self._resource = resource

    # ------------------------------------------------------------------ training

    def train(self, training_data: Any = None) -> Resource:
        """Train the learned model from the safety corpus (not from the NLU training data)."""
        model = None
        if self._config.get("learned_model", True):
            corpus = resolve_corpus_dir(self._config.get("corpus"))
            try:
                model = train_from_corpus(
                    self.detector,
                    batches_dir=corpus / "batches",
                    splits_file=corpus / "splits.yml",
                    max_false_alarm_rate=float(self._config.get("false_alarm_budget", 0.04)),
                )
            except CorpusError as exc:
                raise CorpusError(f"safety corpus: {exc}") from None
        self.model = model
        self.triage = Triage(self.detector, model)
        if model is not None:
            logger.info("Learned triage model trained: %s; dev report %s", model.description, model.dev_report)
        self.persist()
        return self._resource

    def persist(self) -> None:
        if self._model_storage is None or self._resource is None:
            return
        with self._model_storage.write_to(self._resource) as directory:
            if self.model is not None:
                (Path(directory) / MODEL_FILE).write_bytes(pickle.dumps(self.model, protocol=pickle.HIGHEST_PROTOCOL))

    @classmethod
    def load(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> "RedFlagComponent":
        model = None
        try:
            with model_storage.read_from(resource) as directory:
                path = Path(directory) / MODEL_FILE
                if path.exists():
                    model = pickle.loads(path.read_bytes())
                    model._fast_path()  # built now, at start-up, not on the first message
                    logger.info("Learned triage model loaded: %s, thresholds %s", model.description, model.thresholds)
                else:
                    logger.warning("No learned triage model in the Rasa model: red-flag rules only")
        except Exception:  # the rules must still run
            logger.exception("Learned triage model could not be loaded: red-flag rules only")
            model = None
        return cls(config, model=model, model_storage=model_storage, resource=resource)

    # ------------------------------------------------------------------ inference

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT)
            if not text or not isinstance(text, str):
                continue
            try:
                result = self.triage.assess(text)
            except Exception:  # pragma: no cover - a detector bug must not break the conversation
                logger.exception("Red-flag detector failed on a message; no triage for it")
                continue
            self._apply(message, result)
        return messages

    # ------------------------------------------------------------------ helpers

    def _apply(self, message: Message, result) -> None:
        entities = [
            e
            for e in message.get(ENTITIES, []) or []
            if e.get(ENTITY_ATTRIBUTE_TYPE) not in (TRIAGE_ENTITY, RED_FLAG_ENTITY)
        ]
        level = result.level
        if level != NONE:
            top = result.assessment.top if result.source != MODEL and result.assessment is not None else None
            if top is not None and top.start >= 0:
                start, end = top.start, top.end
            else:
                start, end = 0, len(message.get(TEXT))
            source = {
                "source": result.source,
                "level": level,
                "flag": result.flag,
                "group": result.group,
                "rule_level": result.rule_level,
                "model_level": result.model_level,
                "model_score": round(result.model_score, 3),
            }
            message.set(TRIAGE_SOURCE_KEY, source, add_to_output=True)
            logger.info("Triage %s by %s: %s", level, result.source, result.explain())
            for entity_type, value in ((TRIAGE_ENTITY, level), (RED_FLAG_ENTITY, result.group)):
                entities.append(
                    {
                        ENTITY_ATTRIBUTE_TYPE: entity_type,
                        ENTITY_ATTRIBUTE_VALUE: value,
                        ENTITY_ATTRIBUTE_START: start,
                        ENTITY_ATTRIBUTE_END: end,
                        EXTRACTOR: self.name,
                        ENTITY_ATTRIBUTE_CONFIDENCE_TYPE: 1.0,
                    }
                )
        message.set(ENTITIES, entities, add_to_output=True)

        intent_name = TRIAGE_INTENTS.get(level)
        if intent_name is not None:
            override_intent(message, intent_name)
