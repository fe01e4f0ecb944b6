"""Consent and opt-out rules against real PostgreSQL and the local Reddit-compatible API."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date, timedelta

import pytest

from app import components
from core.config import get_settings
from core.db.connection import transaction
from governance import consent, opt_out
from governance.dpo.dpia import dpia_report
from outreach import workflow
from outreach.workflow import ActionRefusedError, Worker
from privacy.pseudonym import Pseudonymizer
from tests.app.review.conftest import seed_suggestions
from tests.factories import make_item

TODAY = date.today()


def _configure(monkeypatch, subreddits: str):
    monkeypatch.setenv("MAJAKKA_SUBREDDITS", subreddits)
    get_settings.cache_clear()
    return get_settings()


def _stored(conn) -> set[str]:
    with transaction(conn) as cur:
        cur.execute("SELECT source_id FROM posts")
        return {row["source_id"].split("_", 1)[1] for row in cur.fetchall()}  # t3_c1 -> c1


def _events(conn, action: str) -> list[dict]:
    with transaction(conn) as cur:
        cur.execute("SELECT object_id, details FROM audit_log WHERE action = %s ORDER BY id", (action,))
        return [dict(r) for r in cur.fetchall()]


def test_a_configured_community_without_a_consent_record_is_not_collected(conn, settings, reddit_state, monkeypatch):
    settings = _configure(monkeypatch, "Suomi,Unlisted")
    reddit_state.add([make_item("c1", "Väsyttää ihan hirveästi tänään", subreddit="Suomi"),
                      make_item("c2", "Ahdistaa ihan hirveästi tänään", subreddit="Unlisted", author="toinen")])
    stats = components.ingestor(settings, conn).run(conn)
    assert _stored(conn) == {"c1"}
    assert stats.communities_without_consent == 1
    assert any("/r/Suomi/" in path for path in reddit_state.requests)
    assert not any("/r/Unlisted/" in path for path in reddit_state.requests)


def test_an_expired_record_stops_collection_and_alerts_once_a_day(conn, settings, reddit_state, monkeypatch):
    settings = _configure(monkeypatch, "Vanha")
    with transaction(conn) as cur:
        consent.record_consent(cur, source="reddit", community="Vanha", agreed_by="moderaattorit",
                               agreed_on=TODAY - timedelta(days=400), scope="julkiset viestit",
                               review_due=TODAY - timedelta(days=1), document_ref="SOP-7", actor="t", role="admin")
    reddit_state.add([make_item("v1", "Väsyttää ihan hirveästi tänään", subreddit="Vanha")])
    components.ingestor(settings, conn).run(conn)
    components.ingestor(settings, conn).run(conn)
    assert _stored(conn) == set()
    alerts = _events(conn, consent.ALERT_ACTION)
    assert [a["object_id"] for a in alerts] == ["reddit:Vanha"]
    assert alerts[0]["details"]["collection"] == "stopped"


def test_withdrawal_stops_collection_and_renewal_restarts_it(conn, settings, reddit_state, monkeypatch):
    settings = _configure(monkeypatch, "Suomi")
    with transaction(conn) as cur:
        assert consent.withdraw(cur, source="reddit", community="Suomi", actor="admin", role="admin") == 1
    reddit_state.add([make_item("w1", "Väsyttää ihan hirveästi, en jaksa enää", subreddit="Suomi")])
    components.ingestor(settings, conn).run(conn)
    assert _stored(conn) == set()
    with transaction(conn) as cur:
        consent.record_consent(cur, source="reddit", community="Suomi", agreed_by="moderaattorit",
                               agreed_on=TODAY, scope="julkiset viestit", review_due=TODAY + timedelta(days=365),
                               document_ref="SOP-8", actor="admin", role="admin")
    components.ingestor(settings, conn).run(conn)
    assert _stored(conn) == {"w1"}
    assert [e["details"]["records"] for e in _events(conn, "consent.withdraw")] == [1]


def test_consent_records_are_validated():
    with pytest.raises(consent.ConsentError, match="review date"):
        consent.record_consent(None, source="reddit", community="X", agreed_by="m", agreed_on=TODAY, scope="s",
                               review_due=TODAY, document_ref="d", actor="a", role="admin")
    with pytest.raises(consent.ConsentError, match="document reference"):
        consent.record_consent(None, source="reddit", community="X", agreed_by="m", agreed_on=TODAY, scope="s",
                               review_due=TODAY + timedelta(days=1), document_ref=" ", actor="a", role="admin")


def test_opt_out_purges_stored_posts_and_blocks_later_ones(conn, settings, reddit_state, monkeypatch):
    settings = _configure(monkeypatch, "Suomi")
    reddit_state.add([make_item("o1", "Väsyttää ihan hirveästi, en jaksa enää", author="Poistuja"),
                      make_item("o2", "Ahdistaa ihan hirveästi tänään", author="Jaaja")])
    components.ingestor(settings, conn).run(conn)
    assert _stored(conn) == {"o1", "o2"}
    result = opt_out.register(conn, source="reddit", username="u/Poistuja",
                              pseudonymizer=components.pseudonymizer(settings), actor="public:opt-out", role="public")
    assert result.posts_removed == 1 and _stored(conn) == {"o2"}
    reddit_state.add([make_item("o3", "Vieläkin väsyttää ihan hirveästi", author="poistuja", age_minutes=1)])
    stats = components.ingestor(settings, conn).run(conn)
    assert stats.dropped_opted_out == 1 and _stored(conn) == {"o2"}
    with transaction(conn) as cur:
        cur.execute("SELECT * FROM opt_outs")
        rows = cur.fetchall()
    assert len(rows) == 1 and "poistuja" not in json.dumps(rows, default=str).lower()
    event = _events(conn, "optout.register")[0]
    assert "poistuja" not in json.dumps(event).lower() and event["details"]["posts_removed"] == 1


def test_opt_out_survives_a_pseudonym_key_rotation(conn, settings, reddit_state, monkeypatch):
    old_key = settings.pseudonym_key.get_secret_value()
    opt_out.register(conn, source="reddit", username="Kiertäjä", actor="c", role="counsellor",
                     pseudonymizer=Pseudonymizer.from_keys(old_key.encode()))
    monkeypatch.setenv("MAJAKKA_PSEUDONYM_KEY", "a-brand-new-pseudonym-key-" + "n" * 32)
    monkeypatch.setenv("MAJAKKA_PSEUDONYM_PREVIOUS_KEYS", old_key)
    settings = _configure(monkeypatch, "Suomi")
    reddit_state.add([make_item("r1", "Väsyttää ihan hirveästi tänään", author="Kiertäjä")])
    assert components.ingestor(settings, conn).run(conn).dropped_opted_out == 1
    new = components.pseudonymizer(settings)
    with transaction(conn) as cur:
        cur.execute("SELECT key_id FROM opt_outs WHERE pseudonym = %s", (new.pseudonym("reddit", "Kiertäjä"),))
        assert cur.fetchone()["key_id"] == new.key_id  # re-keyed: survives the old key's removal


def test_opt_out_command_for_counsellors_handling_requests(conn, settings):
    seed_suggestions(conn, settings, [{"text": "En jaksa", "level": 3,
                                       "author": components.pseudonymizer(settings).pseudonym("reddit", "Pyytäjä")}])
    done = subprocess.run([sys.executable, "-m", "app.cli", "opt-out", "--username", "u/Pyytäjä",
                           "--actor", "aino"], env=dict(os.environ), capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["suggestions_removed"] == 1
    with transaction(conn) as cur:
        cur.execute("SELECT count(*) AS n FROM suggestions")
        assert cur.fetchone()["n"] == 0


def test_outreach_limits_refuse_with_a_reason_and_are_audited(conn, settings, staff):
    author = components.pseudonymizer(settings).pseudonym("reddit", "Rajattu")
    ids = seed_suggestions(conn, settings, [{"text": "En jaksa", "level": 3},
                                            {"text": "En jaksa enää", "level": 3},
                                            {"text": "Ei mitään järkeä", "level": 3, "author": author}])
    worker = Worker(staff.ids["aino"], "aino", "counsellor", None)
    policy = workflow.WorkflowPolicy(claim_minutes=30, cooldown_days=14, timezone="Europe/Helsinki",
                                     counsellor_daily_limit=1)
    for suggestion_id in ids:
        workflow.claim(conn, worker, policy, suggestion_id)
    workflow.reach_out(conn, worker, policy, ids[0], draft_edited=False)
    with pytest.raises(ActionRefusedError, match="counsellor_daily_limit"):
        workflow.reach_out(conn, worker, policy, ids[1], draft_edited=False)
    with transaction(conn) as cur:
        cur.execute("INSERT INTO opt_outs (source, pseudonym, key_id, request_id) VALUES ('reddit', %s, 'k', 'r')",
                    (author,))
    with pytest.raises(ActionRefusedError, match="author_opted_out"):
        workflow.reach_out(conn, worker, policy, ids[2], draft_edited=False)
    reasons = [e["details"]["reason"] for e in _events(conn, "suggestion.reach_out_refused")]
    assert reasons == ["counsellor_daily_limit", "author_opted_out"]


def test_dpia_report_lists_consent_records_opt_outs_and_recipients(conn, settings):
    opt_out.register(conn, source="reddit", username="Joku", pseudonymizer=components.pseudonymizer(settings),
                     actor="c", role="counsellor")
    with transaction(conn) as cur:
        report = dpia_report(settings, cur)
    assert "| r/Suomi | current | test moderators |" in report
    assert "Opt-out requests registered: 1" in report
    assert "Recipients:" in report and f"{settings.counsellor_daily_limit} outreach messages" in report
