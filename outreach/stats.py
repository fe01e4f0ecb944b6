"""Numbers for supervisors and for each counsellor, computed from the decisions people recorded.

The precision of suggestions is the share of decided suggestions that counsellors did not
judge to be false alarms: a suggestion counts as a false positive when it was dismissed as
"not distress" or relabelled below moderate. It is measured on the team's own decisions,
so it is the number critics of earlier systems asked to see published.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from core.db.connection import Cursor
from core.levels import QUEUE_MIN_LEVEL
from governance.partners import IN_SCOPE, Scope, scope_params
from models.lifecycle.labels import FALSE_ALARM_REASONS

#: A false alarm: dismissed as one of the false-alarm kinds, or corrected below the queue.
FALSE_POSITIVE = "(g.dismiss_reason IN ({}) OR g.corrected_level < {})".format(
    ", ".join(f"'{reason}'" for reason in FALSE_ALARM_REASONS), int(QUEUE_MIN_LEVEL))


@dataclass(frozen=True)
class LevelPrecision:
    level: int
    decided: int
    false_positives: int

    @property
    def precision(self) -> float | None:
        return None if self.decided == 0 else 1.0 - self.false_positives / self.decided


@dataclass(frozen=True)
class SlaCompliance:
    level: int
    decided: int
    on_time: int

    @property
    def share(self) -> float | None:
        return None if self.decided == 0 else self.on_time / self.decided


@dataclass(frozen=True)
class QueueHealth:
    open_by_level: dict[int, int]
    claimed: int
    breached_open: int
    #: the age of the oldest open item's post (not of its suggestion: a six-day-old post is six days old)
    oldest_open_hours: float | None
    #: open items whose deadline falls within the next hour, per level
    due_within_hour: dict[int, int] = field(default_factory=dict)


def queue_health(cur: Cursor, scope: Scope | None = None) -> QueueHealth:
    """Open items per level, held, breached and the oldest, within ``scope`` (None: every partner's)."""
    cur.execute(
        f"""
        SELECT g.level, count(*) AS n,
               count(*) FILTER (WHERE g.status = 'claimed' AND g.claimed_until >= now()) AS held,
               count(*) FILTER (WHERE g.sla_due < now()) AS breached,
               count(*) FILTER (WHERE g.sla_due >= now() AND g.sla_due < now() + interval '1 hour') AS due_soon,
               extract(epoch FROM now() - min(p.created_at)) / 3600 AS oldest
        FROM suggestions g JOIN posts p ON p.id = g.post_id
        WHERE g.status IN ('new', 'claimed') AND p.quarantined_at IS NULL AND {IN_SCOPE} GROUP BY g.level
        """,
        scope_params(scope),
    )
    rows = cur.fetchall()
    oldest = max((float(r["oldest"]) for r in rows), default=None)
    return QueueHealth({int(r["level"]): int(r["n"]) for r in rows}, sum(int(r["held"]) for r in rows),
                       sum(int(r["breached"]) for r in rows), oldest,
                       {int(r["level"]): int(r["due_soon"]) for r in rows if r["due_soon"]})


def corrections(cur: Cursor) -> int:
    """Suggestions whose level a counsellor corrected (each one a training label)."""
    cur.execute("SELECT count(*) AS n FROM suggestions WHERE corrected_level IS NOT NULL")
    return int(cur.fetchone()["n"])


def precision_by_level(cur: Cursor, *, days: int = 90, scope: Scope | None = None) -> list[LevelPrecision]:
    cur.execute(
        f"""
        SELECT g.level, count(*) AS decided, count(*) FILTER (WHERE {FALSE_POSITIVE}) AS fp
        FROM suggestions g
        WHERE g.status IN ('reached_out', 'dismissed', 'escalated')
          AND g.decided_at > now() - make_interval(days => %(days)s) AND {IN_SCOPE}
        GROUP BY g.level
        """,
        {"days": days, **scope_params(scope)},
    )
    found = {int(r["level"]): r for r in cur.fetchall()}
    return [LevelPrecision(level, int(found[level]["decided"]) if level in found else 0,
                           int(found[level]["fp"]) if level in found else 0) for level in (2, 3, 4)]


def sla_compliance(cur: Cursor, *, days: int = 30, scope: Scope | None = None) -> list[SlaCompliance]:
    cur.execute(
        f"""
        SELECT g.level, count(*) AS decided, count(*) FILTER (WHERE g.decided_at <= g.sla_due) AS on_time
        FROM suggestions g
        WHERE g.status IN ('reached_out', 'dismissed', 'escalated')
          AND g.decided_at > now() - make_interval(days => %(days)s) AND {IN_SCOPE}
        GROUP BY g.level
        """,
        {"days": days, **scope_params(scope)},
    )
    found = {int(r["level"]): r for r in cur.fetchall()}
    return [SlaCompliance(level, int(found[level]["decided"]) if level in found else 0,
                          int(found[level]["on_time"]) if level in found else 0) for level in (2, 3, 4)]


def counts_by(cur: Cursor, column: str, *, days: int = 30, scope: Scope | None = None) -> dict[str, int]:
    """Outcome or dismiss-reason counts over recent decisions (within ``scope``; None: every partner's)."""
    if column not in ("outcome", "dismiss_reason", "status"):
        raise ValueError(column)
    cur.execute(
        f"""SELECT g.{column} AS key, count(*) AS n FROM suggestions g
            WHERE g.{column} IS NOT NULL AND g.decided_at > now() - make_interval(days => %(days)s) AND {IN_SCOPE}
            GROUP BY g.{column} ORDER BY g.{column}""",
        {"days": days, **scope_params(scope)},
    )
    return {str(r["key"]): int(r["n"]) for r in cur.fetchall()}


@dataclass(frozen=True)
class ServiceOutcome:
    """How often one service was offered when reaching out, and what the people said they did."""

    service_id: str
    offered: int
    taken_up: int
    declined: int

    @property
    def unknown(self) -> int:
        return self.offered - self.taken_up - self.declined


def service_outcomes(cur: Cursor, *, days: int = 90, scope: Scope | None = None) -> list[ServiceOutcome]:
    """Per offered service over recent outreach, most offered first (within ``scope``; None: every partner's)."""
    cur.execute(
        f"""SELECT g.offered_service AS service, count(*) AS offered,
                   count(*) FILTER (WHERE g.service_taken_up) AS taken_up,
                   count(*) FILTER (WHERE NOT g.service_taken_up) AS declined
            FROM suggestions g
            WHERE g.status = 'reached_out' AND g.offered_service IS NOT NULL
              AND g.decided_at > now() - make_interval(days => %(days)s) AND {IN_SCOPE}
            GROUP BY g.offered_service ORDER BY count(*) DESC, g.offered_service""",
        {"days": days, **scope_params(scope)},
    )
    return [ServiceOutcome(r["service"], int(r["offered"]), int(r["taken_up"]), int(r["declined"]))
            for r in cur.fetchall()]


def personal_counts(cur: Cursor, user_id: int, timezone: str) -> dict[str, dict[str, int]]:
    """One counsellor's own work today and over seven days; never compared with anyone else's."""
    cur.execute(
        """
        WITH mine AS (
            SELECT status, decided_at FROM suggestions WHERE decided_by = %(user)s
              AND decided_at > now() - interval '7 days')
        SELECT status,
               count(*) FILTER (WHERE decided_at >= date_trunc('day', now() AT TIME ZONE %(tz)s)
                                                     AT TIME ZONE %(tz)s) AS today,
               count(*) AS week
        FROM mine GROUP BY status
        """,
        {"user": user_id, "tz": timezone},
    )
    return {r["status"]: {"today": int(r["today"]), "week": int(r["week"])} for r in cur.fetchall()}
