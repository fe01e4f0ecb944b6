"""Deletion sync: purge stored items that were deleted or removed at the source.

Reddit's data terms require honouring deletions; so does the data subject's choice.
Stored ids are re-checked in pages, and each page's deletions commit on their own, so
a source failure halfway keeps the purges already done and the next run resumes.
"""

from __future__ import annotations

from dataclasses import dataclass

from collect.base import Source
from core import audit
from core.db.connection import Connection, transaction
from privacy import posts

PAGE = 500
ACTOR = "system:deletion-sync"


@dataclass(frozen=True)
class DeletionStats:
    checked: int
    purged: int

    def counts(self) -> dict[str, int]:
        return {"checked": self.checked, "purged": self.purged}


def sync_deletions(conn: Connection, source: Source) -> DeletionStats:
    checked = purged = 0
    last_id = 0
    while True:
        with transaction(conn) as cur:
            page = posts.source_ids(cur, source.name, after_id=last_id, limit=PAGE)
        if not page:
            break
        last_id = page[-1][0]
        gone = source.gone(source_id for _, source_id in page)
        checked += len(page)
        if gone:
            with transaction(conn) as cur:
                purged += posts.delete_by_source_ids(cur, source.name, gone)
    stats = DeletionStats(checked, purged)
    with transaction(conn) as cur:
        audit.record(cur, actor=ACTOR, role=audit.SYSTEM_ROLE, action="retention.deletion_sync",
                     object_type="source", object_id=source.name, details=stats.counts())
    return stats
