"""The cascade's first stage: clears the clearly unconcerning majority before anything is stored.

Most public posts are about football, prices and the weather. Running the transformer (and,
before it, the privacy filter and storage) on all of them costs time and, worse, keeps health-
adjacent data about people who never needed it. So the collection task asks this stage first:
a logistic regression over hashed character 2-5-grams (which cope with Finnish inflection) and
word 1-2-grams. A post passes when its probability of level 2 or more reaches the threshold
chosen at training for recall on development data, or when it holds a risk word at all (a
keyword safety net the linear model cannot unlearn). A post that does not pass is counted and
dropped in memory, like a post in another language.

The features are hashed, so the stored model holds weights only: no vocabulary, no n-gram of
any text it was trained on. It runs at thousands of posts per second on one core.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

WEIGHTS, CONFIG = "weights.npz", "first_stage.json"
CHAR_FEATURES, WORD_FEATURES = 2**19, 2**18

#: Words that may signal risk. A post with one always passes; the training data's silver everyday
#: examples never contain one (a real post about wanting to die must not be taught as everyday).
RISK_WORDS = re.compile(
    r"kuol|itsemurh|itsetuho|viilt|en jaksa|ei jaksa|ahdist|masenn|hyvästi|tapa(n|a) (it|its)|elämä|"
    r"pillere|tablet|lääkke|hirt|\bdö\b|döden|dödsfall|självmord|ta livet|orkar inte|ångest|depp|deprimer|skär mig|"
    r"vill inte leva|hejdå|farväl|piller|tabletter|hänga mig|sörj|förlåt",
    re.IGNORECASE,
)


def features(texts: Sequence[str]):
    """Hashed character 2-5-grams and word 1-2-grams, each row L2-normalised (a sparse matrix)."""
    from scipy.sparse import hstack
    from sklearn.feature_extraction.text import HashingVectorizer

    chars = HashingVectorizer(analyzer="char_wb", ngram_range=(2, 5), n_features=CHAR_FEATURES,
                              alternate_sign=False, norm="l2")
    words = HashingVectorizer(analyzer="word", ngram_range=(1, 2), n_features=WORD_FEATURES,
                              alternate_sign=False, norm="l2")
    # A lone surrogate (valid JSON, not encodable text) becomes "?" instead of an exception.
    readable = [text.encode("utf-8", "replace").decode("utf-8") for text in texts]
    return hstack([chars.transform(readable), words.transform(readable)]).tocsr()


@dataclass(frozen=True)
class FirstStage:
    """Weights over :func:`features`, an intercept, and the operating threshold."""

    version: str
    weights: np.ndarray
    intercept: float
    threshold: float

    def probabilities(self, texts: Sequence[str]) -> np.ndarray:
        """Probability of level 2 or more for each text."""
        if not texts:
            return np.zeros(0)
        logits = features(texts) @ self.weights + self.intercept
        return 1.0 / (1.0 + np.exp(-logits))

    def passes(self, texts: Sequence[str]) -> list[bool]:
        """Whether each text goes on to the privacy filter and the transformer."""
        probabilities = self.probabilities(texts)
        return [bool(p >= self.threshold) or RISK_WORDS.search(text) is not None
                for text, p in zip(texts, probabilities, strict=True)]

    def save(self, directory: Path, details: dict) -> None:
        """Weights (float32) and the threshold with what it was measured on."""
        directory.mkdir(parents=True, exist_ok=True)
        np.savez_compressed(directory / WEIGHTS, weights=self.weights.astype(np.float32),
                            intercept=np.array([self.intercept]))
        config = {"version": self.version, "threshold": self.threshold, "char_features": CHAR_FEATURES,
                  "word_features": WORD_FEATURES, **details}
        (directory / CONFIG).write_text(json.dumps(config, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def load(directory: Path) -> FirstStage:
    """The first stage saved in ``directory`` (the registry says which one is active)."""
    config = json.loads((directory / CONFIG).read_text(encoding="utf-8"))
    if (config["char_features"], config["word_features"]) != (CHAR_FEATURES, WORD_FEATURES):
        raise ValueError(f"{directory}: trained on other feature sizes than this code computes")
    with np.load(directory / WEIGHTS) as stored:
        weights, intercept = stored["weights"].astype(np.float64), float(stored["intercept"][0])
    return FirstStage(config["version"], weights, intercept, float(config["threshold"]))
