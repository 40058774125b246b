"""Which question a message asks: a linear model over its words, word pairs and letter groups.

Why not DIET: measured on messages from authors the training data never saw,
a multinomial logistic regression over the same kinds of sparse features
(words and pairs, character n-grams inside words) was right more often than
DIET and trains in a fraction of the time (docs/understanding.md, nineteenth
round). Its labels are finer than intents: an intent that routes by an entity
is split by the value it routes to ("ask_benefit/sleep"), so that "a decent
night's kip" can be learned as a sleep question without a listed name for
sleep in it.

The model is saved as plain arrays and JSON (no pickle), and scoring is a
matrix product and a softmax, so loading it runs no code from the model file.

It imports no Rasa, but it sits beside the Rasa plug-in that uses it rather
than in bot.core: it needs scikit-learn, which the action server's image does
not install (tests/architecture).
"""

from __future__ import annotations

import json
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import numpy as np
import scipy.sparse as sp
from sklearn.exceptions import ConvergenceWarning
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import normalize

VOCABULARY_FILE = "vocabulary.json"
WEIGHTS_FILE = "weights.npz"


@dataclass(frozen=True)
class TopicModelSettings:
    """How the model is trained; config.yml's TopicClassifier entry sets these."""

    word_ngrams: tuple[int, int] = (1, 2)
    char_ngrams: tuple[int, int] = (3, 5)
    # a word, pair or letter group seen in one training message only says nothing general
    min_df: int = 2
    # inverse regularisation strength; the features of each kind are scaled to unit length
    c: float = 10.0
    max_iter: int = 100


def _vectorizers(settings: TopicModelSettings, vocabularies: Sequence[dict] | None = None) -> list[CountVectorizer]:
    words, chars = vocabularies or (None, None)
    return [
        CountVectorizer(ngram_range=settings.word_ngrams, min_df=settings.min_df, vocabulary=words),
        CountVectorizer(analyzer="char_wb", ngram_range=settings.char_ngrams, min_df=settings.min_df, vocabulary=chars),
    ]


class TopicModel:
    """Scores every label for a message; `fit` trains one, `save`/`load` keep it in a directory."""

    def __init__(
        self,
        vectorizers: Sequence[CountVectorizer],
        labels: Sequence[str],
        coef: np.ndarray,
        intercept: np.ndarray,
    ) -> None:
        self.vectorizers = list(vectorizers)
        self.labels = list(labels)
        self.coef = coef
        self.intercept = intercept
        # one row per feature: a message's few features pick their rows (a third of a turn's NLU time otherwise)
        self._by_feature = np.ascontiguousarray(coef.T)

    @classmethod
    def fit(cls, texts: Sequence[str], labels: Sequence[str], settings: TopicModelSettings) -> "TopicModel":
        if len(set(labels)) < 2:
            raise ValueError("a topic model needs examples of at least two labels")
        vectorizers = _vectorizers(settings)
        features = sp.hstack([normalize(v.fit_transform(texts)) for v in vectorizers]).tocsr()
        classifier = LogisticRegression(C=settings.c, max_iter=settings.max_iter)
        with warnings.catch_warnings():
            # a capped number of passes is the point (training time); the ranking is what is used
            warnings.simplefilter("ignore", ConvergenceWarning)
            classifier.fit(features, list(labels))
        return cls(vectorizers, [str(c) for c in classifier.classes_], classifier.coef_, classifier.intercept_)

    def features(self, texts: Sequence[str]) -> sp.csr_matrix:
        return sp.hstack([normalize(v.transform(texts)) for v in self.vectorizers]).tocsr()

    def probabilities(self, texts: Sequence[str]) -> np.ndarray:
        """One row per text, one column per label (`self.labels`), each row summing to 1."""
        scores = np.asarray(self.features(texts) @ self._by_feature) + self.intercept
        scores -= scores.max(axis=1, keepdims=True)
        exp = np.exp(scores)
        return exp / exp.sum(axis=1, keepdims=True)

    def rank(self, text: str) -> list[tuple[str, float]]:
        """Every label with its probability, best first."""
        [row] = self.probabilities([text])
        order = np.argsort(-row)
        return [(self.labels[i], float(row[i])) for i in order]

    def save(self, directory: Path) -> None:
        vocabularies = [{term: int(i) for term, i in v.vocabulary_.items()} for v in self.vectorizers]
        (directory / VOCABULARY_FILE).write_text(
            json.dumps({"labels": self.labels, "vocabularies": vocabularies}), encoding="utf-8"
        )
        np.savez_compressed(directory / WEIGHTS_FILE, coef=self.coef, intercept=self.intercept)

    @classmethod
    def load(cls, directory: Path, settings: TopicModelSettings) -> "TopicModel":
        """The model as trained: n-gram ranges from `settings`, vocabularies and weights from the files."""
        saved = json.loads((directory / VOCABULARY_FILE).read_text(encoding="utf-8"))
        with np.load(directory / WEIGHTS_FILE, allow_pickle=False) as weights:
            coef, intercept = weights["coef"], weights["intercept"]
        return cls(_vectorizers(settings, saved["vocabularies"]), saved["labels"], coef, intercept)
