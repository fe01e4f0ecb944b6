"""Shadow mode's report: how the candidate would have changed the queue, on live posts.

Both models scored the same stored (redacted) posts; only the active model's scores reached
the queue. The report counts agreement, the posts the candidate would add to or drop from
the queue (level >= 2) and from the urgent levels (>= 3), and, where a counsellor's decision
gave a label, each model's exact-level accuracy. Counts only: no text, no post ids.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import numpy as np

from core import audit
from core.db.connection import Cursor
from core.levels import LEVEL_COUNT, QUEUE_MIN_LEVEL
from models.lifecycle.labels import shadow_pairs

URGENT_LEVEL = 3


@dataclass(frozen=True)
class ShadowReport:
    active: str
    shadow: str
    compared: int
    agreement: float
    queued_by_active: int
    queued_by_shadow: int
    would_add: int
    would_drop: int
    urgent_by_active: int
    urgent_by_shadow: int
    labelled: int
    active_accuracy: float | None
    shadow_accuracy: float | None
    confusion: list[list[int]]

    def lines(self) -> list[str]:
        def share(value: float | None) -> str:
            return "-" if value is None else f"{value:.3f}"

        return [
            f"shadow {self.shadow} beside active {self.active}: {self.compared} post(s) scored by both",
            f"  same level: {share(self.agreement)}",
            f"  queued (level >= 2): active {self.queued_by_active}, shadow {self.queued_by_shadow} "
            f"(shadow would add {self.would_add}, drop {self.would_drop})",
            f"  urgent (level >= 3): active {self.urgent_by_active}, shadow {self.urgent_by_shadow}",
            f"  counsellor-labelled: {self.labelled}; exact-level accuracy active {share(self.active_accuracy)}, "
            f"shadow {share(self.shadow_accuracy)}",
        ]


def compare_shadow(cur: Cursor, active: str, shadow: str) -> ShadowReport:
    rows = shadow_pairs(cur, active, shadow)
    old = np.array([row["active_level"] for row in rows], dtype=int)
    new = np.array([row["shadow_level"] for row in rows], dtype=int)
    labelled = [(row["label"], row["active_level"], row["shadow_level"]) for row in rows if row["label"] is not None]
    confusion = np.zeros((LEVEL_COUNT, LEVEL_COUNT), dtype=int)
    np.add.at(confusion, (old, new), 1)
    queue = int(QUEUE_MIN_LEVEL)
    return ShadowReport(
        active=active, shadow=shadow, compared=len(rows),
        agreement=float((old == new).mean()) if len(rows) else 0.0,
        queued_by_active=int((old >= queue).sum()), queued_by_shadow=int((new >= queue).sum()),
        would_add=int(((new >= queue) & (old < queue)).sum()), would_drop=int(((old >= queue) & (new < queue)).sum()),
        urgent_by_active=int((old >= URGENT_LEVEL).sum()), urgent_by_shadow=int((new >= URGENT_LEVEL).sum()),
        labelled=len(labelled),
        active_accuracy=sum(label == a for label, a, _ in labelled) / len(labelled) if labelled else None,
        shadow_accuracy=sum(label == s for label, _, s in labelled) / len(labelled) if labelled else None,
        confusion=confusion.tolist(),
    )


@dataclass(frozen=True)
class FirstStageShadowReport:
    """A first-stage candidate beside the active first stage, summed over the collection runs since it
    was registered: how many posts it would have cleared that went on, and the reverse."""

    shadow: str
    runs: int
    screened: int
    would_clear: int
    would_pass: int

    def lines(self) -> list[str]:
        return [f"first-stage shadow {self.shadow}: {self.runs} collection run(s), {self.screened} post(s) screened",
                f"  would have cleared (never stored) posts the active first stage passed: {self.would_clear}",
                f"  would have passed posts the active first stage cleared: {self.would_pass}"]


def first_stage_shadow(cur: Cursor, shadow: str, since: datetime) -> FirstStageShadowReport:
    """Sum the disagreement counts that collection runs recorded for ``shadow`` (audit details: counts only)."""
    runs = [event["details"] for event in audit.details_since(cur, ["collect.run"], since)
            if event["details"].get("shadow_first_stage") == shadow]

    def total(*keys: str) -> int:
        return sum(int(run.get(key, 0)) for run in runs for key in keys)

    screened = total("stored", "duplicates", "filter_failed", "cleared_first_stage")
    return FirstStageShadowReport(shadow, len(runs), screened, total("shadow_would_clear"), total("shadow_would_pass"))
