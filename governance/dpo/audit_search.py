"""Searching and exporting the audit log. Exports are themselves audited."""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from datetime import datetime
from typing import TextIO

CSV_COLUMNS = ("id", "occurred_at", "actor", "actor_role", "action", "object_type", "object_id", "details")


@dataclass(frozen=True)
class AuditQuery:
    actor: str | None = None
    action: str | None = None
    object_type: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    limit: int = 1000


def search(cur, query: AuditQuery) -> list[dict]:
    """Matching events, newest first. ``action`` matches as a prefix ("queue." finds all queue events)."""
    clauses, params = [], []
    if query.actor:
        clauses.append("actor = %s")
        params.append(query.actor)
    if query.action:
        clauses.append("action LIKE %s")
        params.append(query.action.replace("%", r"\%").replace("_", r"\_") + "%")
    if query.object_type:
        clauses.append("object_type = %s")
        params.append(query.object_type)
    if query.since:
        clauses.append("occurred_at >= %s")
        params.append(query.since)
    if query.until:
        clauses.append("occurred_at < %s")
        params.append(query.until)
    where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
    cur.execute(f"SELECT {', '.join(CSV_COLUMNS)} FROM audit_log {where} ORDER BY occurred_at DESC, id DESC LIMIT %s",
                (*params, query.limit))
    return list(cur.fetchall())


def write_csv(events: list[dict], out: TextIO) -> None:
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for event in events:
        writer.writerow([
            json.dumps(event[c], sort_keys=True, ensure_ascii=False) if c == "details"
            else (event[c].isoformat() if isinstance(event[c], datetime) else event[c])
            for c in CSV_COLUMNS
        ])
