"""A learned triage model beside the red-flag rules.

A lexicon grows one phrase at a time and always trails the wording people
really use (docs/safety.md: first passes on fresh batches caught 65-85% of
emergencies). This model generalises from a labelled corpus written by
independent authors (bot/safety/corpus.py) instead: a linear classifier over
word 1-2 grams and character 2-5 grams (inside word boundaries) of the
*normalised* text (the rules' own normaliser: lower case, texting spellings,
dropped g's), so "cant feel my bum", "cannot feel my bottom" and "numbnes in
groin" share most of their features.

It predicts one of the four levels; the Rasa component (bot/rasa/red_flag_component.py)
takes the higher of its level and the rules' level. It knows nothing of the
rules' ConText modifiers; those still apply to the rules' matches.

Decision rule (per-level thresholds on cumulative probabilities, ordinal
levels): emergency when P(emergency) >= t_emergency; else urgent when
P(urgent or emergency) >= t_urgent; else professional when P(professional or
higher) >= t_professional; else none. The thresholds are chosen on the dev
split only (:func:`choose_thresholds`): emergency recall first, then urgent
recall, with false alarms (benign messages raised to urgent or higher by the
rules and the model together) at most a budget.

No Rasa import: the evaluation, the benchmark and the Rasa component share it.
"""

from __future__ import annotations

import logging
import math
import unicodedata
import warnings
from dataclasses import dataclass, field
from typing import Callable, Dict, List, Optional, Sequence, Tuple

import numpy as np

from bot.core.levels import ALERT_LEVELS, EMERGENCY, LEVELS, NONE, PROFESSIONAL, URGENT, rank

from .normalise import Normaliser
from .thresholds import (
    DEFAULT_FALSE_ALARM_BUDGET,
    DEFAULT_THRESHOLDS,
    MODEL_ADDED_BUDGET,
    PROFESSIONAL_NONE_BUDGET,
    choose_thresholds,
)

logger = logging.getLogger(__name__)

# saga's passes over the training set at most (make_classifier)
SAGA_MAX_EPOCHS = 50
MAX_CHARS = 2000  # longer messages are cut (the channels already limit length)


def clean(text: object) -> str:
    """Any input to a string the vectorisers can read: never raises.

    Control and format characters (zero-width joiners, NULs, BiDi marks) become
    spaces; the text is cut at :data:`MAX_CHARS`.
    """
    if not isinstance(text, str):
        return ""
    text = text[:MAX_CHARS]
    out = []
    for ch in text:
        cat = unicodedata.category(ch)
        if cat in ("Cc", "Cf", "Cs", "Co", "Cn") and ch not in "\n\t":
            out.append(" ")
        else:
            out.append(ch)
    return "".join(out)


def _vectoriser(kind: str = "word+char"):
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import FeatureUnion

    word = TfidfVectorizer(
        analyzer="word",
        ngram_range=(1, 2),
        token_pattern=r"(?u)\b\w+\b",
        sublinear_tf=True,
        min_df=1,
        lowercase=False,
        dtype=np.float32,
    )
    char = TfidfVectorizer(
        analyzer="char_wb",
        ngram_range=(2, 5),
        sublinear_tf=True,
        min_df=2,
        lowercase=False,
        dtype=np.float32,
    )
    if kind == "word":
        return FeatureUnion([("word", word)])
    if kind == "char":
        return FeatureUnion([("char", char)])
    return FeatureUnion([("word", word), ("char", char)])


def make_classifier(kind: str = "logreg", C: float = 10.0):
    """The classifiers compared in docs/safety.md."""
    from sklearn.linear_model import LogisticRegression

    if kind == "logreg":
        # saga to a tolerance of 1e-3 or SAGA_MAX_EPOCHS passes, whichever comes first:
        # the same dev results as the converged model in a bounded time. How many
        # passes saga needs for the tolerance jumps with the data (8 s of fitting,
        # then 457 passes and 67 s after one more question batch), so the cap, not
        # the tolerance, sets the time (docs/safety.md).
        return LogisticRegression(
            C=C, class_weight="balanced", solver="saga", tol=1e-3, max_iter=SAGA_MAX_EPOCHS, random_state=0
        )
    if kind == "svm_calibrated":
        from sklearn.calibration import CalibratedClassifierCV
        from sklearn.svm import LinearSVC

        return CalibratedClassifierCV(LinearSVC(C=C / 10.0, class_weight="balanced", random_state=0), cv=3)
    if kind == "complement_nb":
        from sklearn.naive_bayes import ComplementNB

        return ComplementNB(alpha=0.3)
    raise ValueError(f"unknown classifier {kind!r}")


@dataclass
class TriageModel:
    """A fitted vectoriser + classifier, its normaliser and its thresholds; picklable."""

    vectoriser: object
    classifier: object
    normaliser: Optional[Normaliser]
    thresholds: Dict[str, float] = field(default_factory=lambda: dict(DEFAULT_THRESHOLDS))
    description: str = "logreg word 1-2 + char_wb 2-5"
    trained_on: Dict[str, int] = field(default_factory=dict)
    dev_report: Dict[str, object] = field(default_factory=dict)
    # which reply an alert raised by the model gets: self_harm (the crisis reply),
    # pregnancy_warning (the maternity reply) or MODEL_GROUP (the general one)
    group_classifier: object = None

    # ------------------------------------------------------------------ prediction

    def prepare(self, text: object) -> str:
        text = clean(text)
        if self.normaliser is not None and text.strip():
            try:
                text = self.normaliser(text).text
            except Exception:  # pragma: no cover - the normaliser is total, but never fail here
                text = text.lower()
        return text

    def __getstate__(self):
        state = dict(self.__dict__)
        state.pop("_fast", None)  # rebuilt from the vectoriser after loading
        return state

    def _fast_path(self):
        """Per-message scoring without sklearn's per-call overhead (about 1 ms of a 1.2 ms call).

        Only for a logistic regression over TF-IDF blocks: the same analysers,
        sublinear tf x idf, l2 norm per block, then softmax(x . W + b), which is
        what ``predict_proba`` computes. ``tests/safety/test_learned.py`` checks the
        two agree. None for other classifiers (they take sklearn's path).
        """
        fast = self.__dict__.get("_fast", False)
        if fast is not False:
            return fast
        fast = None
        try:
            from sklearn.linear_model import LogisticRegression

            if isinstance(self.classifier, LogisticRegression) and self.classifier.coef_.shape[0] > 1:
                blocks, offset = [], 0
                for _, vec in self.vectoriser.transformer_list:
                    if not (vec.sublinear_tf and vec.use_idf and vec.norm == "l2"):
                        raise ValueError("unsupported vectoriser settings")
                    vocab = vec.vocabulary_
                    blocks.append((vec.build_analyzer(), vocab, vec.idf_.astype(np.float64), offset))
                    offset += len(vocab)
                weights = np.ascontiguousarray(self.classifier.coef_.T, dtype=np.float64)
                fast = (blocks, weights, self.classifier.intercept_.astype(np.float64))
        except Exception:  # pragma: no cover - fall back to sklearn
            fast = None
        self.__dict__["_fast"] = fast
        return fast

    def _features_fast(self, fast, text: str) -> Tuple[np.ndarray, np.ndarray]:
        """Column indices and TF-IDF values of one text, as the fitted vectoriser would give them."""
        blocks = fast[0]
        all_idx, all_vals = [], []
        for analyse, vocab, idf, offset in blocks:
            counts: Dict[int, int] = {}
            for gram in analyse(text):
                j = vocab.get(gram)
                if j is not None:
                    counts[j] = counts.get(j, 0) + 1
            if not counts:
                continue
            idx = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
            tf = np.fromiter(counts.values(), dtype=np.float64, count=len(counts))
            vals = (np.log(tf) + 1.0) * idf[idx]
            norm = math.sqrt(float(vals @ vals))
            if norm > 0:
                all_idx.append(idx + offset)
                all_vals.append(vals / norm)
        if not all_idx:
            return np.zeros(0, dtype=np.int64), np.zeros(0)
        return np.concatenate(all_idx), np.concatenate(all_vals)

    @staticmethod
    def _softmax(logits: np.ndarray) -> np.ndarray:
        logits = logits - logits.max()
        e = np.exp(logits)
        return e / e.sum()

    def _proba_fast(self, fast, text: str) -> np.ndarray:
        _, weights, intercept = fast
        idx, vals = self._features_fast(fast, text)
        return self._softmax(intercept + vals @ weights[idx])

    def cumulative(self, texts: Sequence[object]) -> np.ndarray:
        """P(level or higher) for each text: columns professional, urgent, emergency."""
        prepared = [self.prepare(t) for t in texts]
        fast = self._fast_path() if len(prepared) <= 4 else None
        if fast is not None:
            proba = np.vstack([self._proba_fast(fast, t) for t in prepared])
        else:
            proba = self.classifier.predict_proba(self.vectoriser.transform(prepared))
        classes = list(self.classifier.classes_)
        full = np.zeros((len(prepared), len(LEVELS)), dtype=np.float64)
        for j, level in enumerate(classes):
            full[:, rank(level)] = proba[:, j]
        # cumulative from the top: [>=prof, >=urgent, >=emergency]
        tail = np.cumsum(full[:, ::-1], axis=1)[:, ::-1]
        return tail[:, 1:]

    def levels_from(self, cumulative: np.ndarray, thresholds: Optional[Dict[str, float]] = None) -> List[str]:
        t = thresholds or self.thresholds
        out = []
        for p_prof, p_urg, p_em in cumulative:
            if p_em >= t[EMERGENCY]:
                out.append(EMERGENCY)
            elif p_urg >= t[URGENT]:
                out.append(URGENT)
            elif p_prof >= t[PROFESSIONAL]:
                out.append(PROFESSIONAL)
            else:
                out.append(NONE)
        return out

    def assess(self, text: object) -> Tuple[str, float]:
        """(level, score) for one message; never raises: anything odd is level none.

        ``score`` is the cumulative probability behind the level (P(emergency)
        for emergency, P(urgent or higher) for urgent, ...), or P(professional or
        higher) for none.
        """
        try:
            if not isinstance(text, str) or not text.strip():
                return NONE, 0.0
            cum = self.cumulative([text])
            level = self.levels_from(cum)[0]
            column = {PROFESSIONAL: 0, URGENT: 1, EMERGENCY: 2}.get(level, 0)
            score = float(cum[0, column])
            return level, (score if math.isfinite(score) else 0.0)
        except Exception:  # a model bug must not break the conversation; the rules still run
            logger.exception("Learned triage model failed on a message; rules only")
            return NONE, 0.0

    def predict(self, texts: Sequence[object]) -> List[str]:
        return self.levels_from(self.cumulative(texts))

    def group(self, text: object) -> str:
        """The reply group for an alert the model raised (crisis, maternity or general); never raises."""
        if self.group_classifier is None:
            return MODEL_GROUP
        try:
            X = self.vectoriser.transform([self.prepare(text)])
            return str(self.group_classifier.predict(X)[0])
        except Exception:
            logger.exception("Learned triage model: reply group failed; general reply")
            return MODEL_GROUP


# ---------------------------------------------------------------------- training


MODEL_GROUP = "model"
SELF_HARM_GROUP = "self_harm"
PREGNANCY_GROUP = "pregnancy_warning"


def reply_group(flag: str, level: str) -> str:
    """Map an author's free-text flag label to the reply group an alert needs.

    Authors name flags in their own words ("suicidal_ideation_indirect",
    "overdose_third_person", "pregnancy_bleeding"); only two groups change the
    reply: the crisis line and the maternity unit.
    """
    f = (flag or "").lower()
    if level not in ALERT_LEVELS:
        return NONE
    if any(k in f for k in ("suicid", "self_harm", "self-harm", "selfharm", "overdose", "crisis")):
        return SELF_HARM_GROUP
    if "pregnan" in f or "maternity" in f or "miscarr" in f:
        return PREGNANCY_GROUP
    return MODEL_GROUP


def fit(
    texts: Sequence[str],
    levels: Sequence[str],
    normaliser: Optional[Normaliser] = None,
    classifier: str = "logreg",
    features: str = "word+char",
    C: float = 10.0,
    flags: Optional[Sequence[str]] = None,
) -> TriageModel:
    """Fit on the training split (thresholds stay at their defaults until :func:`choose_thresholds`)."""
    if len(set(levels)) < 2:
        raise ValueError("the training split needs messages of at least two levels")
    model = TriageModel(
        vectoriser=_vectoriser(features),
        classifier=make_classifier(classifier, C=C),
        normaliser=normaliser,
        description=f"{classifier} ({features}, C={C})",
    )
    prepared = [model.prepare(t) for t in texts]
    X = model.vectoriser.fit_transform(prepared)
    from sklearn.exceptions import ConvergenceWarning

    with warnings.catch_warnings():
        # saga stopping at SAGA_MAX_EPOCHS before its tolerance is the intended bound, not a fault
        warnings.simplefilter("ignore", ConvergenceWarning)
        model.classifier.fit(X, np.asarray(levels))
    model.trained_on = {level: levels.count(level) for level in reversed(LEVELS)}
    if flags is not None:
        groups = [reply_group(flag, level) for flag, level in zip(flags, levels)]
        rows = [i for i, g in enumerate(groups) if g != NONE]
        labels = [groups[i] for i in rows]
        if len(set(labels)) >= 2 and min(labels.count(g) for g in set(labels)) >= 3:
            from sklearn.linear_model import LogisticRegression

            model.group_classifier = LogisticRegression(C=C, class_weight="balanced", max_iter=3000, random_state=0)
            model.group_classifier.fit(X[rows], labels)
    return model


def train_model(
    train: Sequence[Tuple[str, str, str]],
    dev: Sequence[Tuple[str, str]],
    normaliser: Optional[Normaliser],
    rules: Optional[Callable[[str], str]] = None,
    classifier: str = "logreg",
    features: str = "word+char",
    C: float = 10.0,
    max_false_alarm_rate: float = DEFAULT_FALSE_ALARM_BUDGET,
) -> TriageModel:
    """Fit on ``train`` ((text, level, flag) triples), then choose thresholds on ``dev`` ((text, level)) with the rules beside it."""
    model = fit(
        [r[0] for r in train],
        [r[1] for r in train],
        normaliser,
        classifier,
        features,
        C,
        flags=[r[2] if len(r) > 2 else "" for r in train],
    )
    dev_texts = [r[0] for r in dev]
    rule_levels = [rules(t) for t in dev_texts] if rules is not None else None
    choose_thresholds(model, dev_texts, [r[1] for r in dev], rule_levels, max_false_alarm_rate)
    return model


def combine(rule_level: str, model_level: str) -> str:
    """The higher (safer) of the two levels."""
    return rule_level if rank(rule_level) >= rank(model_level) else model_level


__all__ = [
    "ALERT_LEVELS",
    "DEFAULT_FALSE_ALARM_BUDGET",
    "DEFAULT_THRESHOLDS",
    "MODEL_ADDED_BUDGET",
    "PROFESSIONAL_NONE_BUDGET",
    "TriageModel",
    "choose_thresholds",
    "clean",
    "combine",
    "fit",
    "make_classifier",
    "train_model",
]
