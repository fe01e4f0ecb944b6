"""One suggestion as a counsellor reads it: redacted text with the explanation marked, and context.

Loading an item decrypts its redacted text, so callers audit the view (invariant 6). The
stored text is already redacted at ingestion; raw text never exists outside the collector.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from core.db.connection import Cursor
from core.levels import LEVEL_COUNT, RiskLevel
from governance.partners import Scope
from models.lifecycle import registry
from outreach.directory import Service, every_service
from privacy.encryption import TextCipher


@dataclass(frozen=True)
class Segment:
    """A run of text; ``weight`` is set when the explanation marked it (positive: raised risk), with its
    risk factor (plan, means, farewell, ...) in ``reason``."""

    text: str
    weight: float | None = None
    reason: str | None = None


@dataclass(frozen=True)
class Bar:
    """One cumulative bar of the item page: P(level >= k) and the threshold the level rule uses for k."""

    level: int
    value: float
    threshold: float | None

    @property
    def crosses(self) -> bool:
        return self.threshold is not None and self.value >= self.threshold


@dataclass(frozen=True)
class ItemView:
    suggestion_id: int
    post_id: int
    level: RiskLevel
    probabilities: tuple[float, ...]
    model_version: str
    filter_version: str
    language: str
    community: str
    kind: str
    permalink: str
    status: str
    claimed_by_id: int | None
    claimed_by: str | None
    claim_expired: bool
    decided_by_id: int | None
    outcome: str | None
    dismiss_reason: str | None
    corrected_level: int | None
    sla_due: datetime
    sla_breached: bool
    posted_at: datetime
    draft_message: str
    services: tuple[Service, ...]
    segments: tuple[Segment, ...]
    #: cumulative bars P(level >= k), k = 1..4, with the model's thresholds (none for the lexicon baseline)
    bars: tuple[Bar, ...] = ()
    #: whose risk the model says the post shows ("self", "other", "none"), if the model tells
    whose: str | None = None
    #: why the suggestion was raised, when a reply in its thread raised it
    raised_reason: str | None = None
    #: the redacted post or comment this one answers, when it is stored
    parent_text: str | None = None
    parent_kind: str | None = None
    #: the service offered when reaching out, and whether the person took it up (None: not known)
    offered_service: Service | None = None
    service_taken_up: bool | None = None
    #: the message as the counsellor sent it (redacted), once they reached out
    sent_message: str | None = None
    decided_at: datetime | None = None
    #: when someone on the team last reached out to (or escalated) this author about another post
    author_last_contacted: datetime | None = None

    @property
    def text(self) -> str:
        """The redacted text, whole."""
        return "".join(segment.text for segment in self.segments)


def segments(text: str, explanation: list[dict]) -> tuple[Segment, ...]:
    """Split ``text`` at the explanation's spans (overlapping or out-of-range spans are skipped)."""
    spans = sorted((int(e["start"]), int(e["end"]), float(e["weight"]), e.get("reason")) for e in explanation
                   if 0 <= int(e["start"]) < int(e["end"]) <= len(text))
    result: list[Segment] = []
    cursor = 0
    for start, end, weight, reason in spans:
        if start < cursor:
            continue
        if start > cursor:
            result.append(Segment(text[cursor:start]))
        result.append(Segment(text[start:end], weight, reason))
        cursor = end
    if cursor < len(text):
        result.append(Segment(text[cursor:]))
    return tuple(result)


def draft_of(cur: Cursor, suggestion_id: int, scope: Scope | None) -> tuple[str, str] | None:
    """(language, stored draft) of a suggestion in ``scope``, without decrypting anything (recording a
    sent message needs only these); ``None`` when there is none for this reader."""
    cur.execute("SELECT language, draft_message, partner FROM suggestions WHERE id = %s", (suggestion_id,))
    row = cur.fetchone()
    if row is None or (scope is not None and not scope.covers(row["partner"])):
        return None
    return row["language"], row["draft_message"]


def load_item(cur: Cursor, cipher: TextCipher, suggestion_id: int, scope: Scope | None) -> ItemView | None:
    """One suggestion as its page shows it; ``None`` when there is none, or none in the reader's ``scope``
    (another partner's item does not exist for them). ``scope`` None: every partner's (system steps)."""
    cur.execute(
        """
        SELECT g.id, g.post_id, g.level, s.probabilities, s.model_version, p.filter_version, g.language,
               p.community, p.kind, p.permalink, g.status, g.claimed_by, u.display_name AS claimed_by_name,
               coalesce(g.claimed_until < now(), false) AS claim_expired, g.decided_by, g.outcome,
               g.dismiss_reason, g.corrected_level, g.sla_due, g.sla_due < now() AS breached,
               p.created_at AS posted_at, g.draft_message, g.service_ids, p.text_encrypted, s.explanation,
               s.whose, g.raised_reason, g.partner, g.offered_service, g.service_taken_up,
               g.sent_message_encrypted, g.decided_at,
               (SELECT max(o.decided_at) FROM suggestions o WHERE o.author_pseudonym = g.author_pseudonym
                  AND o.id <> g.id AND o.status IN ('reached_out', 'escalated')) AS author_last_contacted,
               parent.text_encrypted AS parent_text_encrypted,
               parent.kind AS parent_kind
        FROM suggestions g JOIN posts p ON p.id = g.post_id JOIN scores s ON s.id = g.score_id
        LEFT JOIN users u ON u.id = g.claimed_by
        LEFT JOIN posts parent ON parent.source = p.source AND parent.source_id = p.parent_source_id
        WHERE g.id = %s AND p.quarantined_at IS NULL
        """,
        (suggestion_id,),
    )
    row = cur.fetchone()
    if row is None or (scope is not None and not scope.covers(row["partner"])):
        return None
    by_id = every_service(cur)
    text = cipher.decrypt(bytes(row["text_encrypted"]))
    probabilities = tuple(float(p) for p in row["probabilities"])
    rule = registry.rule_of(cur, row["model_version"])
    thresholds = rule.display_thresholds() if rule else (None,) * (LEVEL_COUNT - 1)
    bars = tuple(Bar(k, round(sum(probabilities[k:]), 4), thresholds[k - 1]) for k in range(1, LEVEL_COUNT))
    return ItemView(
        suggestion_id=row["id"], post_id=row["post_id"], level=RiskLevel(row["level"]),
        probabilities=probabilities, model_version=row["model_version"],
        filter_version=row["filter_version"], language=row["language"], community=row["community"],
        kind=row["kind"], permalink=row["permalink"], status=row["status"], claimed_by_id=row["claimed_by"],
        claimed_by=row["claimed_by_name"], claim_expired=bool(row["claim_expired"]), decided_by_id=row["decided_by"],
        outcome=row["outcome"], dismiss_reason=row["dismiss_reason"], corrected_level=row["corrected_level"],
        sla_due=row["sla_due"], sla_breached=bool(row["breached"]),
        posted_at=row["posted_at"], draft_message=row["draft_message"],
        services=tuple(by_id[i] for i in row["service_ids"] if i in by_id),
        segments=segments(text, list(row["explanation"] or [])), bars=bars, whose=row["whose"],
        raised_reason=row["raised_reason"], parent_kind=row["parent_kind"],
        offered_service=by_id.get(row["offered_service"]), service_taken_up=row["service_taken_up"],
        parent_text=cipher.decrypt(bytes(row["parent_text_encrypted"])) if row["parent_text_encrypted"] else None,
        sent_message=(cipher.decrypt(bytes(row["sent_message_encrypted"]))
                      if row["sent_message_encrypted"] else None),
        decided_at=row["decided_at"], author_last_contacted=row["author_last_contacted"],
    )
