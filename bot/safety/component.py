"""Rasa NLU component that runs the red-flag detector on every user message.

Put it LAST in the NLU pipeline (after DIETClassifier and FallbackClassifier)::

    pipeline:
      ...
      - name: FallbackClassifier
      - name: bot.safety.component.RedFlagComponent
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

It is not trainable: the lexicon is read when the model is loaded (server
start), so a lexicon edit needs a restart, not a retrain.
"""
from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import Any, Dict, List, Optional, Text

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
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    PREDICTED_CONFIDENCE_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message

from .levels import EMERGENCY, NONE, URGENT
from .lexicon import DEFAULT_LEXICON_PATH, REPO_ROOT, LexiconError

logger = logging.getLogger(__name__)

TRIAGE_ENTITY = "triage"
RED_FLAG_ENTITY = "red_flag"
TRIAGE_INTENTS = {EMERGENCY: "triage_emergency", URGENT: "triage_urgent"}
DEFAULT_LEXICON = "content/red_flags.yml"

_DETECTORS: Dict[Path, Any] = {}
_LOCK = threading.Lock()


def resolve_lexicon_path(configured: Optional[str]) -> Path:
    """The lexicon path: as configured, relative to the working directory.

    A relative path that does not exist in the working directory is looked up
    relative to the repository, so the server also works when started elsewhere.
    """
    path = Path(configured or DEFAULT_LEXICON)
    if path.is_absolute() or path.exists():
        return path.resolve()
    in_repo = REPO_ROOT / path
    if in_repo.exists():
        return in_repo.resolve()
    if configured in (None, DEFAULT_LEXICON) and DEFAULT_LEXICON_PATH.exists():
        return DEFAULT_LEXICON_PATH
    raise LexiconError(f"{path}: red-flag lexicon not found (working directory: {Path.cwd()})")


def get_detector(path: Path):
    """One detector per lexicon file per process (building one takes about a second)."""
    from .detector import RedFlagDetector

    with _LOCK:
        detector = _DETECTORS.get(path)
        if detector is None:
            detector = RedFlagDetector.from_yaml(path)
            _DETECTORS[path] = detector
            logger.info("Red-flag lexicon loaded from %s (%d flags)", path, len(detector.lexicon.flags))
        return detector


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False)
class RedFlagComponent(GraphComponent, EntityExtractorMixin):
    """Runs the red-flag detector on the raw text of every message."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"lexicon": DEFAULT_LEXICON}

    @staticmethod
    def required_packages() -> List[Text]:
        return ["spacy", "medspacy"]

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "RedFlagComponent":
        return cls(config)

    def __init__(self, config: Dict[Text, Any], detector: Any = None) -> None:
        self._config = {**self.get_default_config(), **(config or {})}
        self.lexicon_path = resolve_lexicon_path(self._config.get("lexicon"))
        # loaded now (model load = server start), never lazily on the first message
        self.detector = detector if detector is not None else get_detector(self.lexicon_path)

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT)
            if not text or not isinstance(text, str):
                continue
            try:
                assessment = self.detector.assess(text)
            except Exception:  # pragma: no cover - a detector bug must not break the conversation
                logger.exception("Red-flag detector failed on a message; no triage for it")
                continue
            self._apply(message, assessment)
        return messages

    # ------------------------------------------------------------------ helpers

    def _apply(self, message: Message, assessment) -> None:
        entities = [
            e
            for e in message.get(ENTITIES, []) or []
            if e.get(ENTITY_ATTRIBUTE_TYPE) not in (TRIAGE_ENTITY, RED_FLAG_ENTITY)
        ]
        if assessment.level != NONE and assessment.flags:
            top = assessment.top
            start, end = (top.start, top.end) if top.start >= 0 else (0, len(message.get(TEXT)))
            for entity_type, value in ((TRIAGE_ENTITY, assessment.level), (RED_FLAG_ENTITY, top.group)):
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

        intent_name = TRIAGE_INTENTS.get(assessment.level)
        if intent_name is None:
            return
        triage_intent = {INTENT_NAME_KEY: intent_name, PREDICTED_CONFIDENCE_KEY: 1.0}
        ranking = [
            dict(item)
            for item in (message.get(INTENT_RANKING_KEY) or [])
            if item.get(INTENT_NAME_KEY) != intent_name
        ]
        message.set(INTENT, triage_intent, add_to_output=True)
        message.set(INTENT_RANKING_KEY, [dict(triage_intent)] + ranking, add_to_output=True)
