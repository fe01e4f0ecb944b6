"""The demo's two example partners, so that routing and scoping per partner can be seen.

A Finnish-speaking city holds r/arkisuomi and r/mielenterveys and also works the shared national
queue; a bilingual coastal city holds r/Finland (where Finnish and Swedish are both written) and
works only its own queue. Every other community of the sample stays national, worked by the
deployment's default partner (the demo accounts aino, elsa and sanna). Names are invented.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from app.staff import accounts
from core.db.connection import Connection, transaction
from governance import partners


@dataclass(frozen=True)
class DemoPartner:
    slug: str
    name: str
    service_name: str
    dpo_contact: str
    shares_national: bool
    communities: tuple[str, ...]
    team: str
    capacity: int
    #: (username, display name, role, interface language)
    staff: tuple[tuple[str, str, str, str], ...]


DEMO_PARTNERS = (
    DemoPartner("esimerkkila", "Esimerkkilän kaupunki", "Esimerkkilän nuorten chat",
                "tietosuoja@esimerkkila.example", True, ("arkisuomi", "mielenterveys"), "Esimerkkilän tiimi", 20,
                (("tuomas", "Tuomas", "counsellor", "fi"),)),
    DemoPartner("rannikko", "Rannikkokaupunki - Kuststaden", "Rannikon chat - Kustens chatt",
                "dataskydd@rannikko.example", False, ("Finland",), "Kustteamet", 15,
                (("vilja", "Vilja", "counsellor", "sv"),)),
)


def ensure_demo_partners(conn: Connection) -> None:
    """The example partners and their communities (idempotent; audited like an administrator's change)."""
    with transaction(conn) as cur:
        for partner in DEMO_PARTNERS:
            partners.save_partner(cur, slug=partner.slug, name=partner.name, service_name=partner.service_name,
                                  country="FI", dpo_contact=partner.dpo_contact,
                                  shares_national=partner.shares_national, actor="demo", role="system")
            for community in partner.communities:
                partners.assign_community(cur, partner=partner.slug, source="reddit", community=community,
                                          actor="demo", role="system")


def demo_partner_accounts(conn: Connection) -> list[tuple[str, str, str, str]]:
    """Create (or reset) each example partner's staff with fresh passwords: (username, role, partner, password)."""
    created = []
    with transaction(conn) as cur:
        for partner in DEMO_PARTNERS:
            team = accounts.ensure_team(cur, partner.team, partner.capacity, partner=partner.slug)
            for username, name, role, language in partner.staff:
                password = secrets.token_urlsafe(12)
                user_id = accounts.find_id(cur, username)
                if user_id is None:
                    accounts.create(cur, username=username, display_name=name, role=role, password=password,
                                    team_id=team, ui_language=language, partner=partner.slug, actor="demo",
                                    actor_role="system")
                else:
                    accounts.set_password(cur, user_id, password, actor="demo", actor_role="system")
                created.append((username, role, partner.slug, password))
    return created
