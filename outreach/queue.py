"""The outreach queue: turn scores into prioritised, de-duplicated suggestions.

Only levels 2-4 are queued (ARCHITECTURE.md), never posts that a quality check
quarantined. One suggestion per post (unique key), and one open suggestion per
pseudonymous author within the cool-down window: a later, more severe post from the
same author supersedes an untouched earlier suggestion instead of adding a second one,
so nobody is contacted twice about the same distress.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from core import audit
from core.db.connection import Connection, Cursor, transaction
from core.levels import QUEUE_MIN_LEVEL, RiskLevel
from outreach.directory import Service, match_services
from outreach.drafts import draft_message

ACTOR = "system:enqueuer"
_LOCK_KEY = 0x51554555  # one enqueuer at a time


@dataclass(frozen=True)
class QueuePolicy:
    """How suggestions are prioritised and limited; built from settings."""

    sla_hours: dict[int, float]
    cooldown_days: int
    organisation: str
    services: tuple[Service, ...]

    def priority(self, level: int, confidence: float) -> float:
        """Level dominates; within a level the scorer's confidence orders items."""
        return level * 100.0 + round(confidence * 100.0, 2)


@dataclass(frozen=True)
class EnqueueStats:
    queued: int
    superseded: int
    cooldown_skipped: int

    def counts(self) -> dict[str, int]:
        return {"queued": self.queued, "superseded": self.superseded, "cooldown_skipped": self.cooldown_skipped}


def enqueue_scored(conn: Connection, *, model_version: str, policy: QueuePolicy) -> EnqueueStats:
    """Create suggestions for queue-worthy scores of ``model_version`` not yet suggested."""
    queued = superseded = skipped = 0
    with transaction(conn) as cur:
        cur.execute("SELECT pg_advisory_xact_lock(%s)", (_LOCK_KEY,))
        cur.execute(
            """
            SELECT s.id AS score_id, s.level, s.probabilities, p.id AS post_id, p.author_pseudonym,
                   p.language, p.purge_after
            FROM scores s JOIN posts p ON p.id = s.post_id
            WHERE s.model_version = %s AND s.level >= %s AND p.quarantined_at IS NULL
              AND NOT EXISTS (SELECT 1 FROM suggestions g WHERE g.post_id = p.id)
            ORDER BY s.level DESC, s.probabilities[s.level + 1] DESC, p.id
            """,
            (model_version, int(QUEUE_MIN_LEVEL)),
        )
        for row in cur.fetchall():
            outcome = _place(cur, row, policy)
            queued += outcome in ("queued", "superseded")
            superseded += outcome == "superseded"
            skipped += outcome == "cooldown"
        stats = EnqueueStats(queued, superseded, skipped)
        audit.record(cur, actor=ACTOR, role=audit.SYSTEM_ROLE, action="queue.enqueue", object_type="model",
                     object_id=model_version, details=stats.counts())
    return stats


def _place(cur: Cursor, row: dict, policy: QueuePolicy) -> str:
    level = int(row["level"])
    cur.execute(
        """
        SELECT id, level, status FROM suggestions
        WHERE author_pseudonym = %s AND status <> 'superseded'
          AND created_at > now() - make_interval(days => %s)
        ORDER BY level DESC LIMIT 1
        """,
        (row["author_pseudonym"], policy.cooldown_days),
    )
    recent = cur.fetchone()
    outcome = "queued"
    if recent is not None:
        if recent["status"] != "new" or recent["level"] >= level:
            return "cooldown"
        cur.execute("UPDATE suggestions SET status = 'superseded', updated_at = now() WHERE id = %s",
                    (recent["id"],))
        outcome = "superseded"
    services = match_services(policy.services, language=row["language"], level=level)
    confidence = float(row["probabilities"][level])
    cur.execute(
        """
        INSERT INTO suggestions (post_id, score_id, author_pseudonym, level, priority, language,
                                 draft_message, service_ids, sla_due, purge_after)
        VALUES (%s, %s, %s, %s, %s, %s, %s, %s, now() + make_interval(secs => %s), %s)
        ON CONFLICT (post_id) DO NOTHING
        """,
        (row["post_id"], row["score_id"], row["author_pseudonym"], level, policy.priority(level, confidence),
         row["language"],
         draft_message(language=row["language"], level=level, organisation=policy.organisation,
                       services=services),
         [s.id for s in services], policy.sla_hours[level] * 3600, row["purge_after"]),
    )
    return outcome


@dataclass(frozen=True)
class QueueItem:
    """One open suggestion as a counsellor's list shows it."""

    suggestion_id: int
    post_id: int
    level: RiskLevel
    priority: float
    status: str
    language: str
    community: str
    permalink: str
    sla_due: datetime
    sla_breached: bool
    text_encrypted: bytes
    draft_message: str
    service_ids: tuple[str, ...]


def open_items(cur: Cursor, *, limit: int = 50) -> list[QueueItem]:
    """Open suggestions, most urgent first: priority, then the nearest SLA deadline."""
    cur.execute(
        """
        SELECT g.id, g.post_id, g.level, g.priority, g.status, g.language, p.community, p.permalink,
               g.sla_due, g.sla_due < now() AS breached, p.text_encrypted, g.draft_message, g.service_ids
        FROM suggestions g JOIN posts p ON p.id = g.post_id
        WHERE g.status IN ('new', 'claimed') AND p.quarantined_at IS NULL
        ORDER BY g.priority DESC, g.sla_due ASC, g.id
        LIMIT %s
        """,
        (limit,),
    )
    return [
        QueueItem(r["id"], r["post_id"], RiskLevel(r["level"]), r["priority"], r["status"], r["language"],
                  r["community"], r["permalink"], r["sla_due"], r["breached"], bytes(r["text_encrypted"]),
                  r["draft_message"], tuple(r["service_ids"]))
        for r in cur.fetchall()
    ]
