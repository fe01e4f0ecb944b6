"""The one risk-level scheme used everywhere (ARCHITECTURE.md, "Risk levels").

Kept as an IntEnum so that levels compare and sort naturally (crisis > high) and
are stored in PostgreSQL as small integers.
"""

from __future__ import annotations

from enum import IntEnum


class RiskLevel(IntEnum):
    """Five ordered levels of distress signal in one post."""

    NONE = 0
    LOW = 1
    MODERATE = 2
    HIGH = 3
    CRISIS = 4

    @property
    def label(self) -> str:
        """Lower-case name used in data files, JSON output and the UI."""
        return self.name.lower()


LEVEL_COUNT = len(RiskLevel)

#: Levels from which a post becomes an outreach suggestion (ARCHITECTURE.md table).
QUEUE_MIN_LEVEL = RiskLevel.MODERATE
