"""Shadow mode's report: how the candidate would have changed the queue, on live posts.

Both models scored the same stored (redacted) posts; only the active model's scores reached
the queue. The report counts agreement, the posts the candidate would add to or drop from
the queue (level >= 2) and from the urgent levels (>= 3), and, where a counsellor's decision
gave a label, each model's exact-level accuracy. Counts only: no text, no post ids.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

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
