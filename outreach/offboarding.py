"""A partner leaves the partnership: what stops, what happens to its open work, when its data goes.

In one transaction, so that a failure leaves the partner as it was:
1. each community it holds loses its consent record (collection stops at the next run) and is
   released (later posts, if any community agreed again, would go to the national queue);
2. its open items are handed back to the national queue, or closed with a reason;
3. its communities' stored posts get a purge deadline at most ``purge_days`` away (the retention
   DAG deletes them then, with their scores and suggestions);
4. the partner is marked off-boarded, audited with the counts, for the DPO to see.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, timedelta

from core.db.connection import Connection, transaction
from governance import consent, partners
from outreach.queue import hand_back_partner_items
from outreach.workflow import close_partner_items
from privacy import posts


@dataclass(frozen=True)
class OffboardReport:
    partner: str
    communities: int
    consent_records_withdrawn: int
    items_handed_back: int
    items_closed: int
    posts_to_purge: int
    purge_by: str


def offboard(conn: Connection, partner: str, *, close_open_items: bool, purge_days: int, actor: str,
             role: str) -> OffboardReport:
    if not 0 <= purge_days <= 365:
        raise partners.PartnerError("purge within 0-365 days")
    with transaction(conn) as cur:
        held = partners.communities_of(cur, partner)
        withdrawn = to_purge = 0
        for source, community in held:
            withdrawn += consent.withdraw(cur, source=source, community=community, actor=actor, role=role)
            partners.release_community(cur, source=source, community=community, actor=actor, role=role)
            to_purge += posts.schedule_purge(cur, source, community, purge_days)
        closed = close_partner_items(cur, partner, actor=actor, role=role) if close_open_items else 0
        handed_back = 0 if close_open_items else hand_back_partner_items(cur, partner)
        report = OffboardReport(partner, len(held), withdrawn, handed_back, closed, to_purge,
                                (date.today() + timedelta(days=purge_days)).isoformat())
        partners.mark_offboarded(cur, partner, details={k: v for k, v in asdict(report).items() if k != "partner"},
                                 actor=actor, role=role)
    return report
