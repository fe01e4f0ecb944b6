"""The supervisors' escalation queue: escalated items, who took each on, and what was done.

Reads only (the workflow writes escalations): counts and names, never post text; the item page
is one click away and its view is audited there.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from core.db.connection import Cursor
from governance.partners import IN_SCOPE, Scope, scope_params


@dataclass(frozen=True)
class Escalation:
    suggestion_id: int
    level: int
    language: str
    escalated_by: str | None
    escalated_at: datetime
    assignee_id: int | None
    assignee: str | None
    acknowledged_at: datetime | None
    outcome: str | None


def escalations(cur: Cursor, scope: Scope | None, *, days: int = 30, limit: int = 100) -> list[Escalation]:
    """Escalations of the last ``days`` in ``scope``: those nobody has acknowledged first, then newest first."""
    cur.execute(
        f"""SELECT g.id, g.level, g.language, d.display_name AS escalated_by, g.decided_at,
                   g.escalation_assignee, a.display_name AS assignee, g.escalation_acknowledged_at,
                   g.escalation_outcome
            FROM suggestions g LEFT JOIN users d ON d.id = g.decided_by
            LEFT JOIN users a ON a.id = g.escalation_assignee
            WHERE g.status = 'escalated' AND g.decided_at > now() - make_interval(days => %(days)s) AND {IN_SCOPE}
            ORDER BY g.escalation_acknowledged_at IS NOT NULL, g.escalation_outcome IS NOT NULL,
                     g.decided_at DESC LIMIT %(limit)s""",
        {**scope_params(scope), "days": days, "limit": limit})
    return [Escalation(r["id"], int(r["level"]), r["language"], r["escalated_by"], r["decided_at"],
                       r["escalation_assignee"], r["assignee"], r["escalation_acknowledged_at"],
                       r["escalation_outcome"]) for r in cur.fetchall()]
