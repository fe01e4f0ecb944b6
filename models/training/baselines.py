"""Baselines evaluated in the same run as every model: the lexicon and TF-IDF + logistic regression."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline

from models.serving.lexicon.baseline import LexiconScorer
from models.training.data import Example


def lexicon_predictions(examples: Sequence[Example]) -> np.ndarray:
    scores = LexiconScorer().score_batch([e.text for e in examples], [e.lang for e in examples])
    return np.array([int(s.level) for s in scores])


def tfidf_predictions(train: Sequence[Example], test: Sequence[Example], seed: int = 0) -> np.ndarray:
    """Word 1-2-grams and character 2-5-grams would both do; char n-grams cope with Finnish inflection."""
    model = make_pipeline(
        TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), min_df=2, sublinear_tf=True),
        LogisticRegression(max_iter=2000, class_weight="balanced", random_state=seed),
    )
    model.fit([e.text for e in train], [e.level for e in train])
    return model.predict([e.text for e in test])
