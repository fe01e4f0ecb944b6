"""Data inventory: what is stored, how old it is, and how much is overdue for purging."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from core.audit import AUDIT_OF_PARTNER
from core.db.connection import Cursor
from governance.partners import POST_PARTNER

#: Tables holding data about people or their posts, with the column that dates each row.
INVENTORY_TABLES = {
    "posts": "collected_at",
    "scores": "scored_at",
    "suggestions": "created_at",
    "audit_log": "occurred_at",
}


@dataclass(frozen=True)
class TableInventory:
    table: str
    rows: int
    oldest: datetime | None
    newest: datetime | None
    overdue: int
    next_purge: datetime | None


#: Which rows of each table belong to a partner (``%(partner)s``): its communities' posts and their
#: scores, its suggestions, and the audit events :func:`core.audit.search` would show its DPO.
_PARTNER_ROWS = {
    "posts": f"EXISTS (SELECT 1 FROM posts p WHERE p.id = posts.id AND {POST_PARTNER} = %(partner)s)",
    "scores": f"EXISTS (SELECT 1 FROM posts p WHERE p.id = scores.post_id AND {POST_PARTNER} = %(partner)s)",
    "suggestions": "partner = %(partner)s",
    "audit_log": AUDIT_OF_PARTNER,
}


def inventory(cur: Cursor, partner: str | None = None) -> list[TableInventory]:
    """Rows, ages and purge deadlines per table; of ``partner``'s data only when it is given (None: all)."""
    result = []
    for table, dated_by in INVENTORY_TABLES.items():
        where = _PARTNER_ROWS[table] if partner is not None else "TRUE"
        cur.execute(
            f"SELECT count(*) AS rows, min({dated_by}) AS oldest, max({dated_by}) AS newest, "
            f"count(*) FILTER (WHERE purge_after < now()) AS overdue, "
            f"min(purge_after) FILTER (WHERE purge_after >= now()) AS next_purge FROM {table} WHERE {where}",
            {"partner": partner},
        )
        row = cur.fetchone()
        result.append(TableInventory(table, row["rows"], row["oldest"], row["newest"], row["overdue"],
                                     row["next_purge"]))
    return result


def format_inventory(tables: list[TableInventory]) -> str:
    def stamp(value: datetime | None) -> str:
        return value.strftime("%Y-%m-%d %H:%M") if value else "-"

    lines = [f"{'table':<12} {'rows':>7} {'oldest':>17} {'newest':>17} {'overdue':>8} {'next purge':>17}"]
    for t in tables:
        lines.append(f"{t.table:<12} {t.rows:>7} {stamp(t.oldest):>17} {stamp(t.newest):>17} {t.overdue:>8} "
                     f"{stamp(t.next_purge):>17}")
    return "\n".join(lines)
