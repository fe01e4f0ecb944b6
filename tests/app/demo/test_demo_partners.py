"""The demo's example partners: set up twice without duplicates, with staff on their own partner."""

from __future__ import annotations

from app.demo.partners import DEMO_PARTNERS, demo_partner_accounts, ensure_demo_partners
from app.staff import accounts
from core.db.connection import transaction
from governance import partners


def test_example_partners_hold_their_communities_and_their_staff_work_their_queues(conn):
    ensure_demo_partners(conn)
    ensure_demo_partners(conn)  # a second demo run changes nothing
    first = demo_partner_accounts(conn)
    second = demo_partner_accounts(conn)
    assert [row[:3] for row in first] == [row[:3] for row in second] == [("tuomas", "counsellor", "esimerkkila"),
                                                                          ("vilja", "counsellor", "rannikko")]
    assert first[0][3] != second[0][3], "fresh passwords each run"
    with transaction(conn) as cur:
        listed = {p.slug: p for p in partners.partners(cur)}
        vilja = accounts.get(cur, accounts.find_id(cur, "vilja"))
    assert listed["rannikko"].communities == ("reddit/Finland",) and not listed["rannikko"].shares_national
    assert listed["esimerkkila"].communities == ("reddit/arkisuomi", "reddit/mielenterveys")
    assert vilja.scope == partners.Scope("rannikko", False)
    assert set(listed) == {"default", *(p.slug for p in DEMO_PARTNERS)}
