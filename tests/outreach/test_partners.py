"""Partners: a post from a partner's community goes to that partner's queue, and each person sees
only their partner's suggestions (and the national queue, where their partner shares it)."""

from __future__ import annotations

import pytest

from app.pipeline.scoring import score_pending
from core.db.connection import transaction
from governance import partners
from outreach import workflow
from outreach.item_view import load_item
from outreach.queue import enqueue_scored
from outreach.workflow import ActionRefusedError, Worker, WorkflowPolicy
from outreach.worklist import WorklistFilter, worklist
from tests.outreach.test_queue import VERSION, FixedScorer, _store, cipher, policy  # noqa: F401 - fixtures


@pytest.fixture
def two_partners(conn):
    """A Finnish-speaking city holding r/Tampere, and a bilingual one holding r/Vaasa that does not share
    the national queue; r/Suomi stays a shared national community."""
    with transaction(conn) as cur:
        partners.save_partner(cur, slug="tampere", name="Tampereen kaupunki", service_name="Tampereen nuorten chat",
                              country="FI", dpo_contact="tietosuoja@tampere.example", shares_national=True,
                              actor="admin", role="admin")
        partners.save_partner(cur, slug="vaasa", name="Vaasan kaupunki - Vasa stad", service_name="Vaasan chat",
                              country="FI", dpo_contact="dpo@vaasa.example", shares_national=False,
                              actor="admin", role="admin")
        partners.assign_community(cur, partner="tampere", source="reddit", community="Tampere", actor="admin",
                                  role="admin")
        partners.assign_community(cur, partner="vaasa", source="reddit", community="vaasa", actor="admin",
                                  role="admin")
        return {slug: partners.scope_of(cur, slug) for slug in ("tampere", "vaasa", "default")}


def _queue(conn, cipher, policy):  # noqa: F811
    _store(conn, cipher, "t3_tre", "level=3 en jaksa", author="1" * 64, community="Tampere")
    _store(conn, cipher, "t3_vsa", "level=4 orkar inte", author="2" * 64, community="Vaasa", language="sv")
    _store(conn, cipher, "t3_nat", "level=2 väsynyt", author="3" * 64, community="Suomi")
    score_pending(conn, FixedScorer(), cipher)
    enqueue_scored(conn, model_version=VERSION, policy=policy)
    with transaction(conn) as cur:
        cur.execute("SELECT p.source_id, g.id, g.partner, g.draft_message FROM suggestions g "
                    "JOIN posts p ON p.id = g.post_id")
        return {row["source_id"]: row for row in cur.fetchall()}


def test_suggestions_are_routed_by_community_and_signed_by_the_partners_service(conn, cipher, policy,  # noqa: F811
                                                                                two_partners):
    queued = _queue(conn, cipher, policy)
    assert {source_id: row["partner"] for source_id, row in queued.items()} == {
        "t3_tre": "tampere", "t3_vsa": "vaasa", "t3_nat": None}
    assert "Tampereen nuorten chat" in queued["t3_tre"]["draft_message"]
    assert "Testikunta" in queued["t3_nat"]["draft_message"], "national items keep the deployment's name"


def test_each_partner_sees_only_its_own_queue_and_the_national_one_if_it_shares_it(conn, cipher, policy,  # noqa: F811
                                                                                   two_partners):
    queued = _queue(conn, cipher, policy)
    with transaction(conn) as cur:
        seen = {slug: {row.suggestion_id for row in worklist(cur, WorklistFilter(scope=scope))}
                for slug, scope in two_partners.items()}
    ids = {source_id: row["id"] for source_id, row in queued.items()}
    assert seen["tampere"] == {ids["t3_tre"], ids["t3_nat"]}
    assert seen["vaasa"] == {ids["t3_vsa"]}
    assert seen["default"] == {ids["t3_nat"]}


def test_another_partners_item_cannot_be_opened_or_claimed(conn, cipher, policy, two_partners):  # noqa: F811
    queued = _queue(conn, cipher, policy)
    vaasa_item, tampere_item = queued["t3_vsa"]["id"], queued["t3_tre"]["id"]
    with transaction(conn) as cur:
        assert load_item(cur, cipher, vaasa_item, two_partners["tampere"]) is None
        assert load_item(cur, cipher, vaasa_item, two_partners["vaasa"]) is not None
    with transaction(conn) as cur:
        cur.execute("INSERT INTO users (username, display_name, role, partner) "
                    "VALUES ('aino', 'Aino', 'counsellor', 'tampere') RETURNING id")
        outsider = Worker(cur.fetchone()["id"], "aino", "counsellor", None, two_partners["tampere"])
    rules = WorkflowPolicy(claim_minutes=30, cooldown_days=14, timezone="Europe/Helsinki", counsellor_daily_limit=15)
    with pytest.raises(ActionRefusedError, match="not_found"):
        workflow.claim(conn, outsider, rules, vaasa_item)
    assert workflow.claim_next(conn, outsider, rules) == tampere_item, "the most urgent item in scope, not Vaasa's"


def test_a_community_belongs_to_one_partner_and_partner_ids_are_checked(conn, two_partners):
    with transaction(conn) as cur, pytest.raises(partners.PartnerError, match="belongs to partner tampere"):
        partners.assign_community(cur, partner="vaasa", source="reddit", community="TAMPERE", actor="admin",
                                  role="admin")
    with transaction(conn) as cur, pytest.raises(partners.PartnerError, match="lowercase"):
        partners.save_partner(cur, slug="Bad Slug!", name="x", service_name="x", country="FI",
                              dpo_contact="dpo@x.example", shares_national=True, actor="admin", role="admin")
    with transaction(conn) as cur:
        assert partners.release_community(cur, source="reddit", community="tampere", actor="admin", role="admin")
        listed = {p.slug: p.communities for p in partners.partners(cur)}
        cur.execute("SELECT action FROM audit_log WHERE object_type = 'partner' ORDER BY id")
        actions = [row["action"] for row in cur.fetchall()]
    assert listed == {"default": (), "tampere": (), "vaasa": ("reddit/vaasa",)}
    assert actions.count("partner.save") == 2 and actions[-1] == "partner.release_community"


def test_the_partner_command_adds_partners_and_routes_communities(settings, capsys):
    from app.cli.main import main

    assert main(["partner", "save", "vaasa", "--name", "Vaasan kaupunki", "--service-name", "Vaasan chat",
                 "--dpo-contact", "dpo@vaasa.example", "--own-queue-only"]) == 0
    assert main(["partner", "assign", "vaasa", "--community", "Vaasa"]) == 0
    listed = capsys.readouterr().out
    assert "vaasa" in listed and "own only" in listed and "reddit/Vaasa" in listed
    assert main(["partner", "assign", "nowhere", "--community", "Oulu"]) == 1
    assert "no partner nowhere" in capsys.readouterr().err


def test_a_partners_supervisor_statistics_count_only_its_own_work(conn, cipher, policy, two_partners):  # noqa: F811
    from outreach import stats

    _queue(conn, cipher, policy)
    with transaction(conn) as cur:
        health = {slug: stats.queue_health(cur, scope).open_by_level for slug, scope in two_partners.items()}
        everyone = stats.queue_health(cur).open_by_level
    assert health == {"tampere": {3: 1, 2: 1}, "vaasa": {4: 1}, "default": {2: 1}}
    assert everyone == {2: 1, 3: 1, 4: 1}, "unscoped (system steps) counts every partner's"


def test_offboarding_stops_collection_hands_work_back_and_schedules_the_purge(conn, cipher, policy,  # noqa: F811
                                                                            two_partners):
    from datetime import date, timedelta

    from governance import consent
    from outreach.offboarding import offboard

    with transaction(conn) as cur:
        consent.record_consent(cur, source="reddit", community="Tampere", agreed_by="moderators",
                               agreed_on=date.today(), scope="public posts",
                               review_due=date.today() + timedelta(days=300), document_ref="T-1", actor="admin",
                               role="admin")
    queued = _queue(conn, cipher, policy)
    report = offboard(conn, "tampere", close_open_items=False, purge_days=7, actor="admin", role="admin")
    assert (report.communities, report.consent_records_withdrawn, report.items_handed_back, report.items_closed,
            report.posts_to_purge) == (1, 1, 1, 0, 1)
    with transaction(conn) as cur:
        cur.execute("SELECT partner, status FROM suggestions WHERE id = %s", (queued["t3_tre"]["id"],))
        assert dict(cur.fetchone()) == {"partner": None, "status": "new"}, "handed back to the national queue"
        cur.execute("SELECT purge_after < now() + interval '8 days' AS soon FROM posts WHERE source_id = 't3_tre'")
        assert cur.fetchone()["soon"]
        assert not [s for s in consent.statuses(cur, "reddit") if s.name == "Tampere" and s.collectable]
        listed = {p.slug: p for p in partners.partners(cur)}
        cur.execute("SELECT details FROM audit_log WHERE action = 'partner.offboard'")
        audited = cur.fetchone()["details"]
    assert not listed["tampere"].active and listed["tampere"].communities == ()
    assert audited["items_handed_back"] == 1 and audited["purge_by"] == report.purge_by
    with transaction(conn) as cur, pytest.raises(partners.PartnerError, match="has left"):
        partners.assign_community(cur, partner="tampere", source="reddit", community="Tampere", actor="admin",
                                  role="admin")
    with pytest.raises(partners.PartnerError, match="left already"):
        offboard(conn, "tampere", close_open_items=True, purge_days=7, actor="admin", role="admin")


def test_offboarding_can_close_the_open_items_with_a_reason(conn, cipher, policy, two_partners):  # noqa: F811
    from outreach.offboarding import offboard

    queued = _queue(conn, cipher, policy)
    report = offboard(conn, "vaasa", close_open_items=True, purge_days=0, actor="admin", role="admin")
    assert (report.items_closed, report.items_handed_back) == (1, 0)
    with transaction(conn) as cur:
        cur.execute("SELECT status, dismiss_reason FROM suggestions WHERE id = %s", (queued["t3_vsa"]["id"],))
        assert dict(cur.fetchone()) == {"status": "dismissed", "dismiss_reason": "other"}
