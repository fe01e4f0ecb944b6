"""Partner communities and their consent records: Majakka reads a community only while it agrees.

A community is collected only if it has a *current* consent record: agreed on or before
today, not withdrawn, and its review date not passed. Records are append-only in spirit:
a renewal is a new record, a withdrawal stamps ``withdrawn_at``; every change is audited.
An expired record stops collection and raises an alert (an audit event the DPO sees),
once a day per community so a 10-minute schedule does not flood the log.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from core import audit
from core.db.connection import Cursor

#: Countries a community can be recorded in (the partners' countries).
COUNTRIES = ("FI", "SE")

ALERT_ACTION = "consent.expired"


class ConsentError(ValueError):
    """A consent change the rules refuse; the message says why."""


@dataclass(frozen=True)
class ConsentRecord:
    id: int
    community: str
    source: str
    agreed_by: str
    agreed_on: date
    scope: str
    review_due: date
    document_ref: str
    recorded_by: str
    withdrawn: bool


@dataclass(frozen=True)
class CommunityStatus:
    """A community and the consent record that decides whether it is collected."""

    source: str
    name: str
    state: str  # "current", "expired", "withdrawn", "none"
    record: ConsentRecord | None

    @property
    def collectable(self) -> bool:
        return self.state == "current"


def _community_id(cur: Cursor, source: str, name: str) -> int:
    cur.execute(
        """INSERT INTO communities (source, name) VALUES (%s, %s)
           ON CONFLICT (source, name) DO UPDATE SET name = EXCLUDED.name RETURNING id""",
        (source, name),
    )
    return int(cur.fetchone()["id"])


def record_consent(cur: Cursor, *, source: str, community: str, agreed_by: str, agreed_on: date, scope: str,
                   review_due: date, document_ref: str, actor: str, role: str, country: str | None = None) -> int:
    """Add a consent record (a new community is added to the allowlist with it); audited. ``country``
    records where the community is (services are matched in that country)."""
    community = community.removeprefix("r/").strip()
    if not community:
        raise ConsentError("a consent record needs a community")
    if country not in (None, *COUNTRIES):
        raise ConsentError(f"a community's country is one of {', '.join(COUNTRIES)}")
    for label, value in (("who agreed", agreed_by), ("scope", scope), ("document reference", document_ref)):
        if not value.strip():
            raise ConsentError(f"a consent record needs {label}")
    if review_due <= agreed_on:
        raise ConsentError("the review date must come after the agreement date")
    community_id = _community_id(cur, source, community)
    if country is not None:
        cur.execute("UPDATE communities SET country = %s WHERE id = %s", (country, community_id))
    cur.execute(
        """INSERT INTO consent_records (community_id, agreed_by, agreed_on, scope, review_due, document_ref,
                                        recorded_by)
           VALUES (%s, %s, %s, %s, %s, %s, %s) RETURNING id""",
        (community_id, agreed_by.strip(), agreed_on, scope.strip(), review_due, document_ref.strip(), actor),
    )
    record_id = int(cur.fetchone()["id"])
    audit.record(cur, actor=actor, role=role, action="consent.record", object_type="community",
                 object_id=f"{source}:{community}",
                 details={"record_id": record_id, "agreed_on": agreed_on.isoformat(),
                          "review_due": review_due.isoformat(), "document_ref": document_ref.strip()})
    return record_id


def withdraw(cur: Cursor, *, source: str, community: str, actor: str, role: str) -> int:
    """Withdraw every open record of a community: collection stops at the next run. Returns records withdrawn."""
    cur.execute(
        """UPDATE consent_records r SET withdrawn_at = now()
           FROM communities c WHERE c.id = r.community_id AND c.source = %s AND c.name = %s
             AND r.withdrawn_at IS NULL""",
        (source, community.removeprefix("r/")),
    )
    withdrawn = cur.rowcount
    audit.record(cur, actor=actor, role=role, action="consent.withdraw", object_type="community",
                 object_id=f"{source}:{community}", details={"records": withdrawn})
    return withdrawn


def set_country(cur: Cursor, *, source: str, community: str, country: str) -> None:
    """Record the country of a community already on the allowlist."""
    if country not in COUNTRIES:
        raise ConsentError(f"a community's country is one of {', '.join(COUNTRIES)}")
    cur.execute("UPDATE communities SET country = %s WHERE source = %s AND lower(name) = lower(%s)",
                (country, source, community.removeprefix("r/")))


def country_of_post(cur: Cursor, post_id: int) -> str | None:
    """The recorded country of the community a stored post came from (None: not recorded)."""
    cur.execute("SELECT c.country FROM posts p JOIN communities c ON c.source = p.source "
                "AND lower(c.name) = lower(p.community) WHERE p.id = %s", (post_id,))
    row = cur.fetchone()
    return row["country"] if row else None


def statuses(cur: Cursor, source: str | None = None) -> list[CommunityStatus]:
    """Every known community with the record that governs it (the latest by agreement date)."""
    cur.execute(
        """
        SELECT DISTINCT ON (c.id) c.source, c.name, r.id, r.agreed_by, r.agreed_on, r.scope, r.review_due,
               r.document_ref, r.recorded_by, r.withdrawn_at IS NOT NULL AS withdrawn,
               r.review_due >= current_date AS in_date, r.agreed_on <= current_date AS started
        FROM communities c LEFT JOIN consent_records r ON r.community_id = c.id
        WHERE (%(source)s::text IS NULL OR c.source = %(source)s)
        ORDER BY c.id, (r.withdrawn_at IS NULL) DESC, r.agreed_on DESC NULLS LAST, r.id DESC
        """,
        {"source": source},
    )
    result = []
    for row in cur.fetchall():
        if row["id"] is None:
            result.append(CommunityStatus(row["source"], row["name"], "none", None))
            continue
        record = ConsentRecord(row["id"], row["name"], row["source"], row["agreed_by"], row["agreed_on"],
                               row["scope"], row["review_due"], row["document_ref"], row["recorded_by"],
                               row["withdrawn"])
        state = ("withdrawn" if row["withdrawn"] else "current" if row["in_date"] and row["started"]
                 else "expired")
        result.append(CommunityStatus(row["source"], row["name"], state, record))
    return sorted(result, key=lambda s: (s.source, s.name.lower()))


def history(cur: Cursor) -> list[ConsentRecord]:
    """Every consent record ever made, newest first (for the DPO and the DPIA report)."""
    cur.execute(
        """SELECT r.*, c.name, c.source, r.withdrawn_at IS NOT NULL AS withdrawn
           FROM consent_records r JOIN communities c ON c.id = r.community_id
           ORDER BY r.recorded_at DESC, r.id DESC"""
    )
    return [ConsentRecord(r["id"], r["name"], r["source"], r["agreed_by"], r["agreed_on"], r["scope"],
                          r["review_due"], r["document_ref"], r["recorded_by"], r["withdrawn"])
            for r in cur.fetchall()]


def collectable(cur: Cursor, source: str, configured: tuple[str, ...]) -> tuple[set[str], list[CommunityStatus]]:
    """(configured communities that may be collected now, the configured ones that may not).

    Alerts once a day for each configured community whose consent expired.
    """
    known = {s.name.lower(): s for s in statuses(cur, source)}
    allowed: set[str] = set()
    refused: list[CommunityStatus] = []
    for name in configured:
        status = known.get(name.lower(), CommunityStatus(source, name, "none", None))
        if status.collectable:
            allowed.add(name)
            continue
        refused.append(status)
        if status.state == "expired":
            _alert_expired(cur, status)
    return allowed, refused


def _alert_expired(cur: Cursor, status: CommunityStatus) -> None:
    if not audit.recorded_recently(cur, action=ALERT_ACTION, object_id=f"{status.source}:{status.name}", hours=24):
        record = status.record
        audit.record(cur, actor="system:consent", role=audit.SYSTEM_ROLE, action=ALERT_ACTION,
                     object_type="community", object_id=f"{status.source}:{status.name}",
                     details={"review_due": record.review_due.isoformat() if record else None,
                              "collection": "stopped"})
