"""The second-look page: a counsellor reads a sampled post (audited) and labels it."""

from __future__ import annotations

from dataclasses import replace

from app.pipeline.scoring import score_pending
from core.db.connection import transaction
from outreach import second_look
from outreach.queue import enqueue_scored
from tests.app.review.conftest import csrf_of
from tests.outreach.test_queue import VERSION, FixedScorer, _store, cipher, policy  # noqa: F401 - fixtures


def test_a_counsellor_labels_a_second_look_post_on_its_page(conn, settings, signed_in, cipher, policy):  # noqa: F811
    _store(conn, cipher, "t3_low", "level=0 pelkkää arkea", author="1" * 64)
    score_pending(conn, FixedScorer(), cipher)
    enqueue_scored(conn, model_version=VERSION, policy=replace(policy, second_look_rate=1.0))
    client = signed_in("aino")
    page = client.get("/second-look")
    assert "pelkkää arkea" in page.text
    with transaction(conn) as cur:
        item_id = second_look.waiting(cur, None)[0].id
    answer = client.post(f"/second-look/{item_id}", data={"level": "2", "csrf_token": csrf_of(client)},
                         follow_redirects=False)
    assert answer.status_code == 303
    with transaction(conn) as cur:
        assert second_look.missed_risk(cur).missed == 1
        cur.execute("SELECT count(*) AS n FROM audit_log WHERE action = 'second_look.label'")
        assert cur.fetchone()["n"] == 1
    assert 'id="missed-risk"' in signed_in("sanna").get("/supervisor").text
