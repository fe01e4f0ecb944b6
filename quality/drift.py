"""Score drift: does the level distribution of new scores still look like the model's reference?

The reference is the model's own first ``REFERENCE_ROWS`` scores in this deployment, not the
balanced development set (real traffic is mostly level 0, so a dev-set reference would always
"drift"). A batch of at least ``MIN_BATCH`` new scores is compared by total variation distance
(half the L1 distance between the two level distributions, 0-1).

Drift raises an alert but does not quarantine: a real-world event can rightly raise the share
of crisis posts, and holding those back from counsellors would be the wrong failure mode.
"""

from __future__ import annotations

import pandas as pd

from core.db.connection import Cursor
from core.levels import LEVEL_COUNT
from quality.checks import CheckResult, run_suite

REFERENCE_ROWS = 200
MIN_BATCH = 50


def level_shares(levels: list[int]) -> list[float]:
    counts = [0] * LEVEL_COUNT
    for level in levels:
        counts[level] += 1
    return [count / len(levels) for count in counts] if levels else [0.0] * LEVEL_COUNT


def total_variation(first: list[float], second: list[float]) -> float:
    return 0.5 * sum(abs(a - b) for a, b in zip(first, second, strict=True))


def reference_shares(cur: Cursor, model_version: str) -> list[float] | None:
    """The model's stored reference, if it has one yet."""
    cur.execute("SELECT level_shares FROM score_references WHERE model_version = %s", (model_version,))
    row = cur.fetchone()
    return None if row is None else [float(share) for share in row["level_shares"]]


def store_reference(cur: Cursor, model_version: str, levels: list[int]) -> None:
    """Store the model's reference from its first ``REFERENCE_ROWS`` levels, once there are that many."""
    if len(levels) == REFERENCE_ROWS:
        cur.execute("INSERT INTO score_references (model_version, level_shares, rows_used) VALUES (%s, %s, %s) "
                    "ON CONFLICT (model_version) DO NOTHING", (model_version, level_shares(levels), len(levels)))


def drift_check(levels: list[int], reference: list[float], threshold: float) -> CheckResult:
    """A Great Expectations check that the batch's distance from the reference is within ``threshold``."""
    import great_expectations as gx

    distance = total_variation(level_shares(levels), reference)
    frame = pd.DataFrame({"total_variation": [round(distance, 4)]})

    def suite() -> list:
        return [gx.expectations.ExpectColumnValuesToBeBetween(column="total_variation", min_value=0,
                                                               max_value=threshold)]

    return run_suite("score_drift", suite, frame)
