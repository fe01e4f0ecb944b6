"""The outreach queue: turn scores into prioritised, de-duplicated suggestions.

Only levels 2-4 are queued (ARCHITECTURE.md), never posts that a quality check
quarantined. One suggestion per post (unique key), and one open suggestion per
pseudonymous author within the cool-down window: a later, more severe post from the
same author supersedes an untouched earlier suggestion instead of adding a second one,
so nobody is contacted twice about the same distress.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from core import audit
from core.db.connection import Connection, Cursor, transaction
from core.levels import QUEUE_MIN_LEVEL, RiskLevel
from models.serving import scores
from outreach import second_look
from outreach.directory import Service, match_services
from outreach.drafts import draft_message
from outreach.service_choice import origin_of
from outreach.service_fit import age_cue
from privacy.encryption import TextCipher

ACTOR = "system:enqueuer"
_LOCK_KEY = 0x51554555  # one enqueuer at a time


@dataclass(frozen=True)
class QueuePolicy:
    """How suggestions are prioritised and limited; built from settings."""

    sla_hours: dict[int, float]
    cooldown_days: int
    organisation: str
    services: tuple[Service, ...]
    #: share of the posts scored below the queue set aside for counsellors' second look
    second_look_rate: float = 0.0
    #: reads a stored post's redacted text for its age cues (None: services are matched without them)
    cipher: TextCipher | None = None

    def priority(self, level: int, confidence: float) -> float:
        """Level dominates; within a level the scorer's confidence orders items."""
        return level * 100.0 + round(confidence * 100.0, 2)


@dataclass(frozen=True)
class EnqueueStats:
    queued: int
    superseded: int
    cooldown_skipped: int

    #: suggestions about a post raised (or created) because a reply shows its writer at risk
    raised_parent: int = 0
    #: scores about nobody's risk (news, lyrics, jokes), not queued
    not_about_anyone: int = 0
    #: posts below the queue set aside for a second look
    second_look: int = 0

    def counts(self) -> dict[str, int]:
        return {"queued": self.queued, "superseded": self.superseded, "cooldown_skipped": self.cooldown_skipped,
                "raised_parent": self.raised_parent, "not_about_anyone": self.not_about_anyone,
                "second_look": self.second_look}


def enqueue_scored(conn: Connection, *, model_version: str, policy: QueuePolicy) -> EnqueueStats:
    """Create suggestions for queue-worthy scores of ``model_version`` not yet suggested.

    Whose risk it is decides where a score goes: the writer's own risk (or a model that does not
    tell) makes a suggestion about the writer. Someone else's risk in a comment raises the
    suggestion about the post it answers, when that post is stored (created if there is none yet,
    never below the comment's level), with a note of why; the helper is never suggested. Someone
    else's risk with no stored post to raise (a friend offline, a thread we do not read) is a
    worried writer: a suggestion about them at most at level 2, as the annotation guide says.
    Nobody's risk (news, lyrics, jokes) goes nowhere.
    """
    queued = superseded = skipped = raised = not_about_anyone = 0
    with transaction(conn) as cur:
        cur.execute("SELECT pg_advisory_xact_lock(%s)", (_LOCK_KEY,))
        cur.execute(
            """
            SELECT s.id AS score_id, s.level, s.probabilities, s.whose, p.id AS post_id, p.author_pseudonym,
                   p.language, p.purge_after, p.text_encrypted, p.created_at AS posted_at, parent.id AS parent_post_id
            FROM scores s JOIN posts p ON p.id = s.post_id
            LEFT JOIN posts parent ON parent.source = p.source AND parent.source_id = p.parent_source_id
                                  AND parent.quarantined_at IS NULL
            WHERE s.model_version = %s AND s.level >= %s AND p.quarantined_at IS NULL AND s.routed_at IS NULL
              AND NOT EXISTS (SELECT 1 FROM suggestions g WHERE g.post_id = p.id)
            ORDER BY s.level DESC, s.probabilities[s.level + 1] DESC, p.id
            """,
            (model_version, int(QUEUE_MIN_LEVEL)),
        )
        for row in cur.fetchall():
            if row["whose"] == "none":
                scores.mark_routed(cur, row["score_id"])
                not_about_anyone += 1
                continue
            if row["whose"] == "other" and row["parent_post_id"] is not None:
                raised += _raise_parent(cur, row, model_version, policy)
                scores.mark_routed(cur, row["score_id"])
                continue
            if row["whose"] == "other":
                row = {**row, "level": min(int(row["level"]), int(RiskLevel.MODERATE))}
            outcome = _place(cur, row, policy)
            queued += outcome in ("queued", "superseded")
            superseded += outcome == "superseded"
            skipped += outcome == "cooldown"
        sampled = second_look.sample(cur, model_version, policy.second_look_rate)
        stats = EnqueueStats(queued, superseded, skipped, raised, not_about_anyone, sampled)
        audit.record(cur, actor=ACTOR, role=audit.SYSTEM_ROLE, action="queue.enqueue", object_type="model",
                     object_id=model_version, details=stats.counts())
    return stats


def _raise_parent(cur: Cursor, comment: dict, model_version: str, policy: QueuePolicy) -> int:
    """Create or raise the suggestion about the post a helper's comment answers; 1 if anything changed."""
    level = int(comment["level"])
    reason = f"a reply to this post suggests its writer is at risk (level {level})"
    cur.execute("SELECT id, level, status FROM suggestions WHERE post_id = %s", (comment["parent_post_id"],))
    existing = cur.fetchone()
    if existing is not None:
        if existing["status"] not in ("new", "claimed") or existing["level"] >= level:
            return 0
        cur.execute(
            """UPDATE suggestions SET level = %s, priority = %s, raised_by_post_id = %s, raised_reason = %s,
                      sla_due = LEAST(sla_due, (SELECT LEAST(now(), p.created_at) FROM posts p
                                                 WHERE p.id = suggestions.post_id) + make_interval(secs => %s)),
                      updated_at = now()
               WHERE id = %s""",
            (level, policy.priority(level, 0.0), comment["post_id"], reason, policy.sla_hours[level] * 3600,
             existing["id"]),
        )
        return 1
    cur.execute(
        """SELECT s.id AS score_id, s.probabilities, p.id AS post_id, p.author_pseudonym, p.language, p.purge_after,
                  p.text_encrypted, p.created_at AS posted_at
           FROM posts p JOIN scores s ON s.post_id = p.id AND s.model_version = %s WHERE p.id = %s""",
        (model_version, comment["parent_post_id"]),
    )
    parent = cur.fetchone()
    if parent is None:
        return 0  # the parent is not scored yet; it is raised when the comment is routed
    outcome = _place(cur, {**parent, "level": level}, policy, raised_by=(comment["post_id"], reason))
    return int(outcome in ("queued", "superseded"))


def _place(cur: Cursor, row: dict, policy: QueuePolicy, *, raised_by: tuple[int, str] | None = None) -> str:
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
    origin = origin_of(cur, row["post_id"])  # no partner: a shared national community, the national queue
    partner = origin.partner
    cue = age_cue(policy.cipher.decrypt(bytes(row["text_encrypted"]))) if policy.cipher is not None else None
    services = match_services(policy.services, language=row["language"], level=level, cue=cue, when=datetime.now(UTC),
                              partner=partner.slug if partner else None, country=origin.country)
    confidence = float(row["probabilities"][level])
    cur.execute(
        """
        INSERT INTO suggestions (post_id, score_id, author_pseudonym, level, priority, language, draft_message,
                                 service_ids, sla_due, purge_after, raised_by_post_id, raised_reason, partner)
        VALUES (%s, %s, %s, %s, %s, %s, %s, %s, LEAST(now(), %s) + make_interval(secs => %s), %s, %s, %s, %s)
        ON CONFLICT (post_id) DO NOTHING
        """,
        (row["post_id"], row["score_id"], row["author_pseudonym"], level, policy.priority(level, confidence),
         row["language"],
         draft_message(language=row["language"], level=level,
                       organisation=origin.signature(policy.organisation), services=services),
         [s.id for s in services], row["posted_at"], policy.sla_hours[level] * 3600, row["purge_after"],
         *(raised_by or (None, None)), partner.slug if partner else None),
    )
    return outcome


def hand_back_partner_items(cur: Cursor, partner: str) -> int:
    """Move a leaving partner's open items to the national queue (claims end); returns how many."""
    cur.execute("UPDATE suggestions SET partner = NULL, status = 'new', claimed_by = NULL, claimed_until = NULL, "
                "updated_at = now() WHERE partner = %s AND status IN ('new', 'claimed')", (partner,))
    return cur.rowcount


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
