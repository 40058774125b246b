"""Rules and learned model together: the level a person's message gets, and which of the two set it.

The rules (:class:`~bot.safety.detector.RedFlagDetector`) are sourced and
explainable, and their ConText modifiers handle negation, history, questions
and other people. The learned model (:mod:`bot.safety.learned`) catches
wording nobody wrote into the lexicon. The higher of the two levels wins (when
unsure, triage higher), and :class:`TriageResult` says which one fired, with
the rule's flag or the model's score, so every alert can be explained in the
log.

No Rasa import: the Rasa component, the evaluation and the benchmark share it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from bot.core.levels import NONE, URGENT, rank

from .corpus import BATCHES_DIR, LABELLED_SET, SPLITS_FILE, Corpus, load_corpus
from .learned import DEFAULT_FALSE_ALARM_BUDGET, MODEL_GROUP, TriageModel, train_model

logger = logging.getLogger(__name__)

RULE = "rule"
MODEL = "model"


@dataclass(frozen=True)
class TriageResult:
    level: str
    source: str  # "rule" | "model" | "none"
    rule_level: str = NONE
    model_level: str = NONE
    model_score: float = 0.0
    flag: str = ""  # the rule's flag id, or the model's reply group
    group: str = ""  # the red_flag group (rules) or the model's reply group
    assessment: object = None  # the rules' Assessment (for spans and dropped flags)

    def explain(self) -> str:
        if self.source == RULE:
            return f"rule {self.flag} ({self.group}) -> {self.level}; model {self.model_level} {self.model_score:.2f}"
        if self.source == MODEL:
            return f"model {self.level} score {self.model_score:.2f} group {self.group}; rules {self.rule_level}"
        return "no flag"


class Triage:
    """One message in, one :class:`TriageResult` out; never raises on odd input."""

    def __init__(self, detector, model: Optional[TriageModel] = None):
        self.detector = detector
        self.model = model

    def assess(self, text: str) -> TriageResult:
        assessment = self.detector.assess(text)
        rule_level = assessment.level
        model_level, score = self.model.assess(text) if self.model is not None else (NONE, 0.0)
        top = assessment.top
        if rank(rule_level) >= rank(model_level):
            if rule_level == NONE:
                return TriageResult(NONE, "none", rule_level, model_level, score, assessment=assessment)
            return TriageResult(
                rule_level,
                RULE,
                rule_level,
                model_level,
                score,
                flag=top.id if top else "",
                group=top.group if top else "",
                assessment=assessment,
            )
        group = self.model.group(text) if self.model is not None else MODEL_GROUP
        return TriageResult(
            model_level, MODEL, rule_level, model_level, score, flag=group, group=group, assessment=assessment
        )


def train_from_corpus(
    detector,
    batches_dir: Path | str = BATCHES_DIR,
    splits_file: Path | str = SPLITS_FILE,
    labelled_set: Optional[Path | str] = LABELLED_SET,
    max_false_alarm_rate: float = DEFAULT_FALSE_ALARM_BUDGET,
    classifier: str = "logreg",
    features: str = "word+char",
    C: float = 10.0,
    corpus: Optional[Corpus] = None,
) -> Optional[TriageModel]:
    """Fit the model on the train split, thresholds on the dev split with these rules beside it.

    None when there is nothing to train on (the rules then work alone).
    """
    corpus = corpus or load_corpus(batches_dir, splits_file, labelled_set)
    if not corpus.train or len({m.level for m in corpus.train}) < 2:
        logger.warning("No safety training corpus: the learned triage model is not trained (rules only)")
        return None
    # benign questions of the topic corpus: only those the rules leave below urgent (a
    # message the rules call a red flag is never taught to the model as benign)
    extra = [m for m in corpus.topic_benign if rank(detector.assess(m.text).level) < rank(URGENT)]
    model = train_model(
        [(m.text, m.level, m.flag) for m in corpus.train + extra],
        [(m.text, m.level) for m in corpus.dev],
        normaliser=getattr(detector, "_normaliser", None),
        rules=lambda t: detector.assess(t).level,
        classifier=classifier,
        features=features,
        C=C,
        max_false_alarm_rate=max_false_alarm_rate,
    )
    model.trained_on["batches"] = len(corpus.batches)
    model.trained_on["topic_benign"] = len(extra)
    model.trained_on["topic_benign_left_out"] = len(corpus.topic_benign) - len(extra)
    model.dev_report["train_batches"] = sorted(b for b, s in corpus.batches.items() if s == "train")
    model.dev_report["dev_batches"] = sorted(b for b, s in corpus.batches.items() if s == "dev")
    logger.info("Learned triage model: %s; thresholds %s", model.description, model.thresholds)
    return model
