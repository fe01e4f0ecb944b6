"""Occlusion explanations: clauses inside sentences, weights faithful to the model, wrong-way evidence found."""

from __future__ import annotations

import numpy as np

from models.serving.explain import OTHER, clauses, explain, wrong_way
from models.serving.scoring import Evidence


def test_clauses_never_cross_a_sentence_end() -> None:
    text = "En jaksa enää, kaikki on turhaa. Ostin pillereitä tänään; ne on laatikossa"
    spans = clauses(text)
    pieces = [text[start:end] for start, end in spans]
    assert pieces == ["En jaksa enää", "kaikki on turhaa", "Ostin pillereitä tänään", "ne on laatikossa"]
    sentence_end = text.index(".")
    assert all(end <= sentence_end or start > sentence_end for start, end in spans)


def _toy_model(texts: list[str]) -> np.ndarray:
    """Level 4 when "pillereitä" is in the text, level 0 otherwise; "soitin" lowers it to level 1."""
    rows = []
    for text in texts:
        row = np.zeros(5)
        row[4 if "pillereitä" in text else 1 if "soitin" in text else 0] = 1.0
        rows.append(row)
    return np.array(rows)


def test_weights_are_the_change_in_expected_level_when_a_clause_is_removed() -> None:
    text = "Ostin pillereitä, ne on laatikossa"
    (evidence,) = explain([text], _toy_model([text]), _toy_model, languages=["fi"])
    weights = {item.phrase: item.weight for item in evidence}
    assert weights == {"Ostin pillereitä": 4.0}  # the other clause changes nothing and is left out
    assert text[evidence[0].start:evidence[0].end] == "Ostin pillereitä"


def test_wrong_way_is_a_risk_factor_clause_that_lowers_the_risk() -> None:
    lowering_means = Evidence("ihop tabletter", 0, 14, -0.4, "means")
    lowering_other = Evidence("idag", 15, 19, -0.4, OTHER)
    lowering_help = Evidence("ringa nån", 20, 29, -0.4, "help-seeking")
    raising_means = Evidence("ihop tabletter", 0, 14, 0.9, "means")
    assert wrong_way([raising_means, lowering_means])
    assert not wrong_way([raising_means, lowering_other, lowering_help])
    assert not wrong_way([])
