"""Did it help: the service offered when reaching out, whether it was taken up, and the per-service table."""

from __future__ import annotations

import pytest

from core.db.connection import transaction
from outreach import stats, workflow
from outreach.workflow import ActionRefusedError, Worker, WorkflowPolicy
from tests.outreach.test_queue import _run, _store, cipher, policy  # noqa: F401 - fixtures

RULES = WorkflowPolicy(claim_minutes=30, cooldown_days=14, timezone="Europe/Helsinki", counsellor_daily_limit=15)


def _counsellor(conn) -> Worker:
    with transaction(conn) as cur:
        cur.execute("INSERT INTO users (username, display_name, role) VALUES ('aino', 'Aino', 'counsellor') "
                    "RETURNING id")
        return Worker(cur.fetchone()["id"], "aino", "counsellor", None)


def test_the_offered_service_and_its_take_up_are_recorded_and_counted(conn, cipher, policy):  # noqa: F811
    for index in range(3):
        _store(conn, cipher, f"t3_s{index}", "level=3 en jaksa", author=f"{index}" * 64)
    _run(conn, cipher, policy)
    aino = _counsellor(conn)
    with transaction(conn) as cur:
        cur.execute("SELECT id, service_ids FROM suggestions ORDER BY id")
        items = cur.fetchall()
    first, second, third = items
    chosen = second["service_ids"][1]
    for item in items:
        workflow.claim(conn, aino, RULES, item["id"])
    with pytest.raises(ActionRefusedError, match="invalid_choice"):
        workflow.reach_out(conn, aino, RULES, first["id"], draft_edited=False, offered_service="not-in-the-item")
    workflow.reach_out(conn, aino, RULES, first["id"], draft_edited=False)  # the draft's first service
    workflow.reach_out(conn, aino, RULES, second["id"], draft_edited=True, offered_service=chosen)
    workflow.reach_out(conn, aino, RULES, third["id"], draft_edited=False)
    workflow.record_outcome(conn, aino, first["id"], "accepted_help", taken_up=True)
    workflow.record_outcome(conn, aino, second["id"], "replied", taken_up=False)
    workflow.record_outcome(conn, aino, third["id"], "no_reply")
    with transaction(conn) as cur:
        table = {row.service_id: row for row in stats.service_outcomes(cur)}
        cur.execute("SELECT details FROM audit_log WHERE action = 'suggestion.reached_out' ORDER BY id")
        audited = [row["details"]["offered_service"] for row in cur.fetchall()]
    default = first["service_ids"][0]
    assert audited == [default, chosen, default]
    assert (table[default].offered, table[default].taken_up, table[default].declined, table[default].unknown) == \
        (2, 1, 0, 1)
    assert (table[chosen].offered, table[chosen].taken_up, table[chosen].declined) == (1, 0, 1)


def test_at_crisis_the_offered_service_is_the_one_after_the_emergency_number(conn, cipher, policy):  # noqa: F811
    _store(conn, cipher, "t3_c", "level=4 hyvästi", author="9" * 64)
    _run(conn, cipher, policy)
    aino = _counsellor(conn)
    with transaction(conn) as cur:
        cur.execute("SELECT id, service_ids FROM suggestions")
        item = cur.fetchone()
    assert item["service_ids"][0] == "fi-emergency"
    workflow.claim(conn, aino, RULES, item["id"])
    with pytest.raises(ActionRefusedError, match="invalid_choice"):
        workflow.reach_out(conn, aino, RULES, item["id"], draft_edited=False, offered_service="fi-emergency")
    workflow.reach_out(conn, aino, RULES, item["id"], draft_edited=False)
    with transaction(conn) as cur:
        cur.execute("SELECT offered_service FROM suggestions WHERE id = %s", (item["id"],))
        assert cur.fetchone()["offered_service"] == item["service_ids"][1]
