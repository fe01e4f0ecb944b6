"""Partners as data: the municipalities and wellbeing regions that run Majakka together.

A partner has its communities (a city's own subreddit), its teams and staff, the service name
its drafts are signed with, and its data-protection officer. A suggestion about a post from a
partner's community goes to that partner's queue; one from a community no partner holds (a
shared national community) goes to the national queue, which the partners that share it
(``shares_national``) work together. Everyone sees only what :class:`Scope` lets through.

Today's single deployment is the partner ``default``: it holds no community and shares the
national queue, so a deployment that adds no partner behaves as before.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from core import audit
from core.db.connection import Cursor

DEFAULT_PARTNER = "default"
COUNTRIES = ("FI", "SE")
_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{1,39}$")


class PartnerError(ValueError):
    """A partner change the rules refuse; the message says why."""


@dataclass(frozen=True)
class Partner:
    slug: str
    name: str
    service_name: str
    country: str
    dpo_contact: str
    shares_national: bool
    communities: tuple[str, ...] = ()
    #: False once the partner has been off-boarded
    active: bool = True


@dataclass(frozen=True)
class Scope:
    """Which suggestions one person may see and act on: their partner's, and the national queue if shared."""

    partner: str
    shares_national: bool

    @property
    def administered(self) -> str | None:
        """Whose records this person's oversight roles (admin, DPO) reach: their own partner's; the
        operator's staff (the default partner, the deployment itself) every partner's (``None``)."""
        return None if self.partner == DEFAULT_PARTNER else self.partner

    def covers(self, partner: str | None) -> bool:
        """Whether a suggestion of ``partner`` (``None``: national) is in this scope."""
        return partner == self.partner if partner is not None else self.shares_national


#: SQL: a suggestion ``g`` is in the reader's scope (parameters from :func:`scope_params`; a NULL
#: partner parameter means no scope: every partner's, for system steps and the ML engineer's page).
IN_SCOPE = """(%(scope_partner)s::text IS NULL OR g.partner = %(scope_partner)s
               OR (g.partner IS NULL AND %(scope_national)s::boolean))"""

#: SQL: the partner whose community a stored post ``p`` came from (NULL: a shared national community).
POST_PARTNER = """(SELECT c.partner FROM partner_communities c
                   WHERE c.source = p.source AND lower(c.community) = lower(p.community))"""

#: SQL: a stored post ``p`` (one that has no suggestion, such as a second-look sample) is in the
#: reader's scope; the same parameters as :data:`IN_SCOPE`.
POST_IN_SCOPE = IN_SCOPE.replace("g.partner", POST_PARTNER)


def scope_params(scope: Scope | None) -> dict[str, object]:
    """The parameters of :data:`IN_SCOPE` for ``scope`` (None: unscoped)."""
    if scope is None:
        return {"scope_partner": None, "scope_national": True}
    return {"scope_partner": scope.partner, "scope_national": scope.shares_national}


def scope_of(cur: Cursor, partner: str) -> Scope:
    """The scope of a person on ``partner``'s staff."""
    cur.execute("SELECT shares_national FROM partners WHERE slug = %s", (partner,))
    row = cur.fetchone()
    if row is None:
        raise PartnerError(f"no partner {partner}")
    return Scope(partner, bool(row["shares_national"]))


def partners(cur: Cursor) -> list[Partner]:
    cur.execute(
        """SELECT p.slug, p.name, p.service_name, p.country, p.dpo_contact, p.shares_national,
                  p.offboarded_at IS NULL AS active,
                  coalesce(array_agg(c.source || '/' || c.community ORDER BY c.community)
                           FILTER (WHERE c.community IS NOT NULL), '{}') AS communities
           FROM partners p LEFT JOIN partner_communities c ON c.partner = p.slug
           GROUP BY p.slug ORDER BY p.slug""")
    return [Partner(r["slug"], r["name"], r["service_name"], r["country"], r["dpo_contact"], r["shares_national"],
                    tuple(r["communities"]), bool(r["active"])) for r in cur.fetchall()]


def save_partner(cur: Cursor, *, slug: str, name: str, service_name: str, country: str, dpo_contact: str,
                 shares_national: bool, actor: str, role: str) -> None:
    """Add a partner or change one (audited)."""
    if not _SLUG.match(slug):
        raise PartnerError("a partner id is 2-40 lowercase letters, digits and hyphens, e.g. vaasa")
    if country not in COUNTRIES:
        raise PartnerError(f"country must be one of {', '.join(COUNTRIES)}")
    if not name.strip() or not service_name.strip() or len(dpo_contact.strip()) < 3:
        raise PartnerError("a partner needs a name, the service name its drafts are signed with, and a DPO contact")
    cur.execute(
        """INSERT INTO partners (slug, name, service_name, country, dpo_contact, shares_national)
           VALUES (%s, %s, %s, %s, %s, %s)
           ON CONFLICT (slug) DO UPDATE SET name = EXCLUDED.name, service_name = EXCLUDED.service_name,
               country = EXCLUDED.country, dpo_contact = EXCLUDED.dpo_contact,
               shares_national = EXCLUDED.shares_national""",
        (slug, name.strip(), service_name.strip(), country, dpo_contact.strip(), shares_national))
    audit.record(cur, actor=actor, role=role, action="partner.save", object_type="partner", object_id=slug,
                 details={"country": country, "shares_national": shares_national})


def assign_community(cur: Cursor, *, partner: str, source: str, community: str, actor: str, role: str) -> None:
    """Route a community's suggestions to ``partner`` from now on (one partner per community; audited)."""
    cur.execute("SELECT offboarded_at IS NULL AS active FROM partners WHERE slug = %s", (partner,))
    row = cur.fetchone()
    if row is None or not row["active"]:
        raise PartnerError(f"no partner {partner}" if row is None else f"partner {partner} has left the partnership")
    cur.execute("SELECT partner, community FROM partner_communities WHERE source = %s AND lower(community) = lower(%s)",
                (source, community))
    held = cur.fetchone()
    if held is not None and held["partner"] != partner:
        raise PartnerError(f"{source}/{held['community']} belongs to partner {held['partner']}; release it first")
    if held is None:
        cur.execute("INSERT INTO partner_communities (source, community, partner) VALUES (%s, %s, %s)",
                    (source, community, partner))
        audit.record(cur, actor=actor, role=role, action="partner.assign_community", object_type="partner",
                     object_id=partner, details={"source": source, "community": community})


def release_community(cur: Cursor, *, source: str, community: str, actor: str, role: str) -> bool:
    """Make a community shared national again; returns whether a partner held it."""
    cur.execute("DELETE FROM partner_communities WHERE source = %s AND lower(community) = lower(%s) "
                "RETURNING partner", (source, community))
    row = cur.fetchone()
    if row is not None:
        audit.record(cur, actor=actor, role=role, action="partner.release_community", object_type="partner",
                     object_id=row["partner"], details={"source": source, "community": community})
    return row is not None


def route_of_post(cur: Cursor, post_id: int) -> Partner | None:
    """The partner whose community a stored post came from (``None``: a shared national community)."""
    cur.execute(
        """SELECT pa.slug, pa.name, pa.service_name, pa.country, pa.dpo_contact, pa.shares_national
           FROM posts p JOIN partner_communities c ON c.source = p.source AND lower(c.community) = lower(p.community)
           JOIN partners pa ON pa.slug = c.partner WHERE p.id = %s""", (post_id,))
    row = cur.fetchone()
    return None if row is None else Partner(row["slug"], row["name"], row["service_name"], row["country"],
                                            row["dpo_contact"], row["shares_national"])


def communities_of(cur: Cursor, partner: str) -> list[tuple[str, str]]:
    """(source, community) pairs that ``partner`` holds."""
    cur.execute("SELECT source, community FROM partner_communities WHERE partner = %s ORDER BY source, community",
                (partner,))
    return [(row["source"], row["community"]) for row in cur.fetchall()]


def mark_offboarded(cur: Cursor, partner: str, *, details: dict, actor: str, role: str) -> None:
    """Record that ``partner`` left (its communities are released by the caller first); audited with counts."""
    if partner == DEFAULT_PARTNER:
        raise PartnerError("the default partner is the deployment itself and cannot be off-boarded")
    cur.execute("UPDATE partners SET offboarded_at = now() WHERE slug = %s AND offboarded_at IS NULL", (partner,))
    if cur.rowcount != 1:
        raise PartnerError(f"no partner {partner} to off-board (or it has left already)")
    audit.record(cur, actor=actor, role=role, action="partner.offboard", object_type="partner", object_id=partner,
                 details=details)
