"""The DPO's tools: redaction test bench, audit search/export, inventory, DPIA report."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta

from app import components
from core import audit
from core.audit import AuditQuery, search
from core.db.connection import transaction
from governance.dpo.audit_search import write_csv
from governance.dpo.dpia import dpia_report
from governance.dpo.inventory import inventory
from governance.dpo.test_bench import BenchCounts, redact_lines
from tests.app.review.conftest import csrf_of
from tests.factories import make_item


def test_bench_reports_spans_on_the_original_text():
    lines = [json.dumps({"id": "a", "text": "Soita mulle 040 123 4567, en jaksa"}), "",
             json.dumps({"id": "b", "text": "Ring 070-123 45 67 ikväll, jag orkar inte"})]
    counts = BenchCounts()
    out = [json.loads(line) for line in redact_lines(lines, components.privacy_filter(), counts=counts)]
    assert [o["id"] for o in out] == ["a", "b"] and counts.redacted == 2
    first = out[0]
    assert first["redacted"] == "Soita mulle <PHONE>, en jaksa"
    span = first["entities"][0]
    assert span["type"] == "PHONE_NUMBER"
    assert "Soita mulle 040 123 4567, en jaksa"[span["start"]:span["end"]] == "040 123 4567"
    assert out[1]["language"] == "sv"


def test_bench_keeps_going_after_a_malformed_line():
    lines = ["{not json", json.dumps({"id": 1}), json.dumps({"id": "ok", "text": "moi"})]
    counts = BenchCounts()
    out = [json.loads(line) for line in redact_lines(lines, components.privacy_filter(), counts=counts)]
    assert [o.get("line") for o in out[:2]] == [1, 2]
    assert out[2]["id"] == "ok"
    assert (counts.redacted, counts.errors) == (1, 2)


def test_redact_command_reads_and_writes_jsonl(tmp_path):
    source = tmp_path / "in.jsonl"
    source.write_text(json.dumps({"id": "x", "text": "mailaa matti@example.fi"}) + "\n", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "app.cli", "redact", str(source), "--lang", "fi"],
                            capture_output=True, text=True, env=dict(os.environ), timeout=300, check=False)
    assert result.returncode == 0, result.stderr
    record = json.loads(result.stdout)
    assert record["redacted"] == "mailaa <EMAIL>"
    assert record["entities"][0]["type"] == "EMAIL_ADDRESS"


def _events(conn) -> None:
    with transaction(conn) as cur:
        audit.record(cur, actor="counsellor-1", role="counsellor", action="queue.view", object_type="suggestion")
        audit.record(cur, actor="counsellor-1", role="counsellor", action="queue.dismiss", object_type="suggestion")
        audit.record(cur, actor="dpo-1", role="dpo", action="erasure.request", details={"posts_removed": 2})


def test_audit_search_filters_and_exports_csv(conn):
    _events(conn)
    with transaction(conn) as cur:
        assert len(search(cur, AuditQuery(actor="counsellor-1"))) == 2
        assert [e["action"] for e in search(cur, AuditQuery(action="queue."))] == ["queue.dismiss", "queue.view"]
        assert search(cur, AuditQuery(since=datetime.now(UTC) + timedelta(hours=1))) == []
        found = search(cur, AuditQuery(action="erasure"))
    buffer = io.StringIO()
    write_csv(found, buffer)
    rows = list(csv.DictReader(io.StringIO(buffer.getvalue())))
    assert rows[0]["action"] == "erasure.request"
    assert json.loads(rows[0]["details"]) == {"posts_removed": 2}


def test_audit_prefix_search_treats_underscore_literally(conn):
    _events(conn)
    with transaction(conn) as cur:
        assert search(cur, AuditQuery(action="queue_")) == []


def test_inventory_counts_rows_and_overdue(settings, conn, reddit_state):
    reddit_state.add([make_item("p00001", "En jaksa enää"), make_item("p00002", "Ahdistaa", author="b_b")])
    components.ingestor(settings, conn).run(conn)
    with transaction(conn) as cur:
        cur.execute("UPDATE posts SET purge_after = now() - interval '1 day' WHERE source_id = 't3_p00001'")
        tables = {t.table: t for t in inventory(cur)}
    assert tables["posts"].rows == 2 and tables["posts"].overdue == 1
    assert tables["audit_log"].rows >= 1


def test_dpia_report_reflects_live_configuration(settings, conn, monkeypatch):
    monkeypatch.setenv("MAJAKKA_RETENTION_DAYS", "21")
    from core.config import get_settings

    get_settings.cache_clear()
    with transaction(conn) as cur:
        report = dpia_report(get_settings(), cur)
    assert "| posts, scores, suggestions | 21 days from collection |" in report
    assert "r/Suomi, r/sweden" in report
    assert "<PHONE>" in report and "FI_PERSONAL_IDENTITY_CODE" in report
    assert settings.pseudonym_key.get_secret_value() not in report


def test_the_dpo_pages_through_the_audit_log_with_a_total_and_leaves_out_own_searches(signed_in, conn):
    from core import audit as audit_log

    with transaction(conn) as cur:
        for index in range(205):
            audit_log.record(cur, actor="aino", role="counsellor", action="post.view", object_type="suggestion",
                             object_id=str(index % 3), details={"post_id": index})
    dpo = signed_in("dpo")
    dpo.get("/dpo/audit")
    first = dpo.get("/dpo/audit?action=post.view&lang=en").text
    assert "205 matching events; page 1 of 2." in first and 'id="audit-next"' in first
    second = dpo.get("/dpo/audit?action=post.view&page=2&lang=en").text
    assert second.split("<tbody>")[1].count("<tr>") == 5
    everything = dpo.get("/dpo/audit?lang=en").text.split("<tbody>")[1]
    assert "audit.search" not in everything
    assert "audit.search" in dpo.get("/dpo/audit?include_own=true").text.split("<tbody>")[1]
    one_item = dpo.get("/dpo/audit?object_type=suggestion&action=post.&object_id=1&lang=en").text
    assert "68 matching events" in one_item and "post_id: 1" in one_item.split("<tbody>")[1]


def test_the_test_bench_answer_is_not_kept_by_the_browser(signed_in):
    dpo = signed_in("dpo")
    answer = dpo.post("/dpo/test-bench", data={"csrf_token": csrf_of(dpo), "text": "Soita 040 765 4321",
                                               "language": "fi"})
    assert answer.status_code == 200 and answer.headers["cache-control"] == "no-store"
    assert "040 765 4321" in answer.text.split('class="bench-input"')[1].split("</td>")[0]
