"""What a team sees in its queue today: urgency order, filters, and the daily capacity split.

Volume is sized to the people who do the work: a team sets how many suggestions it can
take on per day. Items beyond that are kept in order as *overflow* (visible to
supervisors) instead of being dropped or shown to counsellors who cannot reach them.
Crisis items are never held back by capacity: a plan or a farewell is always shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from core.db.connection import Cursor
from core.levels import RiskLevel
from governance.partners import IN_SCOPE, Scope, scope_params

#: Most urgent first: level; within a level, items whose deadline can still be met before those past
#: it (a deadline counts from when the post was written, so a days-old post is past it and must not
#: push a fresh one back; it stays listed, marked overdue); then the scorer's confidence; then the deadline.
_URGENCY_ORDER = "g.level DESC, (g.sla_due < now()) ASC, g.priority DESC, g.sla_due ASC, g.id"
#: A suggestion nobody holds: new, or claimed by someone whose claim has run out.
_AVAILABLE = "(g.status = 'new' OR (g.status = 'claimed' AND g.claimed_until < now()))"
OPEN_STATUSES = ("new", "claimed")
DECIDED_STATUSES = ("reached_out", "dismissed", "escalated")
STATUS_FILTERS = ("open", "claimed", *DECIDED_STATUSES)


@dataclass(frozen=True)
class Capacity:
    """A team's daily capacity and how much of it first claims used today (in the team's time zone)."""

    daily: int | None
    used: int

    @property
    def remaining(self) -> int | None:
        return None if self.daily is None else max(0, self.daily - self.used)

    @property
    def exhausted(self) -> bool:
        return self.daily is not None and self.used >= self.daily


@dataclass(frozen=True)
class WorklistFilter:
    language: str | None = None
    level: int | None = None
    status: str = "open"
    held_by: int | None = None  # only items this user holds a live claim on
    scope: Scope | None = None  # the reader's partner (None: every partner's, for system steps)


@dataclass(frozen=True)
class WorklistRow:
    """One suggestion in a list: no text, only what decides who looks at it first."""

    suggestion_id: int
    level: RiskLevel
    confidence: float
    status: str
    claim_expired: bool
    language: str
    community: str
    sla_due: datetime
    sla_breached: bool
    claimed_by: str | None
    #: when the post was written (a list shows its age)
    posted_at: datetime


def team_capacity(cur: Cursor, team_id: int | None, timezone: str) -> Capacity:
    """Capacity of ``team_id`` and the suggestions its members first claimed since local midnight."""
    if team_id is None:
        return Capacity(None, 0)
    cur.execute(
        """
        SELECT t.daily_capacity,
               (SELECT count(*) FROM suggestions g
                WHERE g.claimed_team_id = t.id
                  AND g.first_claimed_at >= date_trunc('day', now() AT TIME ZONE %(tz)s) AT TIME ZONE %(tz)s
                  AND g.level < 4) AS used
        FROM teams t WHERE t.id = %(team)s
        """,
        {"tz": timezone, "team": team_id},
    )
    row = cur.fetchone()
    return Capacity(None, 0) if row is None else Capacity(int(row["daily_capacity"]), int(row["used"]))


#: The columns a list row needs, from a suggestion ``g`` joined to its post ``p`` and score ``s``.
_ROW_COLUMNS = """g.id, g.level, g.priority, g.status, g.claimed_until < now() AS claim_expired, g.language,
                  p.community, g.sla_due, g.sla_due < now() AS breached, u.display_name AS claimed_by,
                  s.probabilities, p.created_at AS posted_at"""
#: The filters every list applies (parameters: statuses, language, level, held_by).
_ROW_FILTERS = """p.quarantined_at IS NULL
                  AND g.status = ANY(%(statuses)s::suggestion_status[])
                  AND (%(language)s::text IS NULL OR g.language = %(language)s)
                  AND (%(level)s::int IS NULL OR g.level = %(level)s)
                  AND (%(held_by)s::bigint IS NULL OR (g.claimed_by = %(held_by)s AND g.claimed_until >= now()))
                  AND """ + IN_SCOPE


def worklist(cur: Cursor, flt: WorklistFilter, *, limit: int = 200, offset: int = 0) -> list[WorklistRow]:
    """Suggestions matching ``flt``, most urgent first (decided ones: most recent first); one page of them."""
    if flt.status not in STATUS_FILTERS:
        raise ValueError(f"unknown status filter {flt.status!r}")
    params = {"statuses": list(OPEN_STATUSES) if flt.status == "open" else [flt.status], "language": flt.language,
              "level": flt.level, "held_by": flt.held_by, "limit": limit, "offset": offset, **scope_params(flt.scope)}
    if flt.status in ("open", "claimed"):
        rows = _urgent_first(cur, params, flt.level)
    else:
        cur.execute(
            f"""SELECT {_ROW_COLUMNS}
                FROM suggestions g JOIN posts p ON p.id = g.post_id JOIN scores s ON s.id = g.score_id
                LEFT JOIN users u ON u.id = g.claimed_by
                WHERE {_ROW_FILTERS}
                ORDER BY g.decided_at DESC NULLS LAST, g.id DESC LIMIT %(limit)s OFFSET %(offset)s""",
            params,
        )
        rows = cur.fetchall()
    return [
        WorklistRow(r["id"], RiskLevel(r["level"]), float(r["probabilities"][r["level"]]), r["status"],
                    bool(r["claim_expired"]), r["language"], r["community"], r["sla_due"], bool(r["breached"]),
                    r["claimed_by"], r["posted_at"])
        for r in rows
    ]


def _urgent_first(cur: Cursor, params: dict, level: int | None) -> list[dict]:
    """One page in urgency order (:data:`_URGENCY_ORDER`), read slice by slice.

    Sorting every open suggestion to show one page grows with the queue (130 ms at 100,000).
    The order is level, then deadlines that can still be met first, then priority; so each (level, breached)
    pair is a slice that the partial index ``suggestions_open_order_idx`` already holds in
    priority order. Slices are read in urgency order, each only as far as the page still needs,
    which usually means one short index scan whatever the queue's size. Same rows, same order
    as one sort (the transaction's ``now()`` is the same for every slice).
    """
    wanted = params["offset"] + params["limit"]
    levels = [level] if level is not None else [RiskLevel.CRISIS, RiskLevel.HIGH, RiskLevel.MODERATE]
    rows: list[dict] = []
    for slice_level in levels:
        for breached in (False, True):
            if len(rows) >= wanted:
                break
            cur.execute(
                f"""SELECT {_ROW_COLUMNS}
                    FROM suggestions g JOIN posts p ON p.id = g.post_id JOIN scores s ON s.id = g.score_id
                    LEFT JOIN users u ON u.id = g.claimed_by
                    WHERE g.level = %(slice_level)s AND (g.sla_due < now()) = %(breached)s AND {_ROW_FILTERS}
                    ORDER BY g.priority DESC, g.sla_due ASC, g.id LIMIT %(slice_limit)s""",
                {**params, "slice_level": int(slice_level), "breached": breached, "slice_limit": wanted - len(rows)},
            )
            rows += cur.fetchall()
    return rows[params["offset"]:wanted]


def split_by_capacity(rows: list[WorklistRow], capacity: Capacity) -> tuple[list[WorklistRow], list[WorklistRow]]:
    """(today's queue, overflow): crisis items and claimed items always stay in today's queue."""
    remaining = capacity.remaining
    if remaining is None:
        return rows, []
    today: list[WorklistRow] = []
    overflow: list[WorklistRow] = []
    for row in rows:
        held = row.status == "claimed" and not row.claim_expired
        if row.level == RiskLevel.CRISIS or held:
            today.append(row)
        elif remaining > 0:
            today.append(row)
            remaining -= 1
        else:
            overflow.append(row)
    return today, overflow


def overflow_size(cur: Cursor, capacity: Capacity, scope: Scope | None = None) -> int:
    """How many waiting items exceed today's capacity, counted in SQL (lists are capped; this is not).

    The same rule as :func:`split_by_capacity`: crisis items and live claims never overflow.
    """
    if capacity.remaining is None:
        return 0
    cur.execute(
        f"""SELECT count(*) AS n FROM suggestions g JOIN posts p ON p.id = g.post_id
            WHERE {_AVAILABLE} AND g.level < 4 AND p.quarantined_at IS NULL AND {IN_SCOPE}""",
        scope_params(scope),
    )
    return max(0, int(cur.fetchone()["n"]) - capacity.remaining)


def lock_most_urgent(cur: Cursor, *, language: str | None, crisis_only: bool,
                     scope: Scope | None = None) -> dict | None:
    """Lock the most urgent available suggestion (``id``, ``level``) for a claim; others skip it."""
    cur.execute(
        f"""
        SELECT g.id, g.level FROM suggestions g JOIN posts p ON p.id = g.post_id
        WHERE {_AVAILABLE} AND p.quarantined_at IS NULL
          AND (%(language)s::text IS NULL OR g.language = %(language)s)
          AND (NOT %(crisis_only)s OR g.level = 4) AND {IN_SCOPE}
        ORDER BY {_URGENCY_ORDER}
        LIMIT 1
        FOR UPDATE OF g SKIP LOCKED
        """,
        {"language": language, "crisis_only": crisis_only, **scope_params(scope)},
    )
    return cur.fetchone()


def any_available(cur: Cursor, language: str | None, scope: Scope | None = None) -> bool:
    """Whether anything waits (in ``language``, if given) that nobody holds."""
    cur.execute(
        f"""SELECT EXISTS (SELECT 1 FROM suggestions g JOIN posts p ON p.id = g.post_id
                          WHERE {_AVAILABLE} AND p.quarantined_at IS NULL
                            AND (%(language)s::text IS NULL OR g.language = %(language)s)
                            AND {IN_SCOPE}) AS any""",
        {"language": language, **scope_params(scope)},
    )
    return bool(cur.fetchone()["any"])


def available_uncorrected(cur: Cursor) -> list[dict]:
    """Available suggestions nobody has corrected (``id``, ``level``, the post's ``source_id``), oldest first."""
    cur.execute(f"SELECT g.id, g.level, p.source_id FROM suggestions g JOIN posts p ON p.id = g.post_id "
                f"WHERE {_AVAILABLE} AND g.corrected_level IS NULL ORDER BY g.id")
    return list(cur.fetchall())


#: How long after reaching out the outcome is due: the list of follow-ups reminds the counsellor.
FOLLOW_UP_HOURS = 24


@dataclass(frozen=True)
class FollowUp:
    """An item someone reached out on whose outcome is not recorded yet."""

    suggestion_id: int
    level: RiskLevel
    reached_out_at: datetime


def follow_ups_due(cur: Cursor, user_id: int, *, hours: int = FOLLOW_UP_HOURS) -> list[FollowUp]:
    """``user_id``'s outreach of more than ``hours`` ago with no outcome yet, oldest first."""
    cur.execute("""SELECT id, level, decided_at FROM suggestions
                   WHERE decided_by = %s AND status = 'reached_out' AND outcome IS NULL
                     AND decided_at < now() - make_interval(hours => %s)
                   ORDER BY decided_at LIMIT 50""", (user_id, hours))
    return [FollowUp(int(r["id"]), RiskLevel(r["level"]), r["decided_at"]) for r in cur.fetchall()]


def held_count(cur: Cursor, user_id: int) -> int:
    """How many items ``user_id`` holds a live claim on (signing out asks about them)."""
    cur.execute("SELECT count(*) AS n FROM suggestions WHERE status = 'claimed' AND claimed_by = %s "
                "AND claimed_until >= now()", (user_id,))
    return int(cur.fetchone()["n"])
