"""Re-filtering stored text with a newer filter version: text, version, explanations and the DPO's counts."""

from __future__ import annotations

import json
from dataclasses import dataclass

from app import components
from app.pipeline.refilter import moved_explanation, offset_map, refilter
from core.db.connection import transaction
from privacy import posts
from privacy.redaction import DetectedEntity, Redaction
from tests.app.pipeline.test_quality_gates import _store_unfiltered


def test_offsets_move_with_the_text_and_redacted_words_drop_out():
    old = "Soitin Matti Virtaselle eilen ja itkin koko yön"
    new = "Soitin <PERSON> eilen ja itkin koko yön"
    mapping = offset_map(old, new)
    itkin = old.index("itkin")
    moved = moved_explanation([{"start": itkin, "end": itkin + 5, "weight": 0.4, "reason": "x"},
                               {"start": old.index("Matti"), "end": old.index("eilen") - 1, "weight": 0.1,
                                "reason": "y"}], mapping)
    assert [(new[m["start"]:m["end"]], m["reason"]) for m in moved] == [("itkin", "x")]


@dataclass
class NewerFilter:
    """Stands in for a newer filter version that finds one more name."""

    version: str = "filter-9.9.9"

    def redact(self, text: str, language: str) -> Redaction:
        start = text.find("Virtanen")
        if start < 0:
            return Redaction(text, (), self.version)
        return Redaction(text.replace("Virtanen", "<PERSON>"),
                         (DetectedEntity("PERSON", start, start + 8, 0.9),), self.version)


def test_refilter_rewrites_changed_rows_records_the_version_and_reports_counts(settings, conn):
    cipher = components.cipher(settings)
    _store_unfiltered(conn, cipher, "t3_a", "Eilen Virtanen sano et en jaksa")
    _store_unfiltered(conn, cipher, "t3_b", "ihan tavallinen päivä")
    with transaction(conn) as cur:
        cur.execute("SELECT id FROM posts WHERE source_id = 't3_a'")
        post_id = cur.fetchone()["id"]
        cur.execute("INSERT INTO scores (post_id, model_version, level, probabilities, explanation, purge_after) "
                    "SELECT id, 'm1', 3, ARRAY[0.1,0.1,0.1,0.6,0.1], %s, purge_after FROM posts WHERE id = %s",
                    (json.dumps([{"start": 26, "end": 31, "weight": 0.5, "reason": "hopelessness"}]), post_id))
    report = refilter(conn, NewerFilter(), cipher, actor="dpo", role="dpo")
    assert report.counts() == {"filter_version": "filter-9.9.9", "checked": 2, "changed": 1, "failed": 0,
                               "removed_by_type": {"PERSON": 1}}
    with transaction(conn) as cur:
        cur.execute("SELECT source_id, text_encrypted, filter_version, entity_counts FROM posts ORDER BY source_id")
        rows = cur.fetchall()
        cur.execute("SELECT explanation FROM scores WHERE post_id = %s", (post_id,))
        explanation = cur.fetchone()["explanation"]
        cur.execute("SELECT details FROM audit_log WHERE action = 'filter.refilter'")
        audited = cur.fetchone()["details"]
    text = cipher.decrypt(bytes(rows[0]["text_encrypted"]))
    assert text == "Eilen <PERSON> sano et en jaksa"
    assert {r["filter_version"] for r in rows} == {"filter-9.9.9"}
    assert rows[0]["entity_counts"]["PERSON"] == 1
    assert text[explanation[0]["start"]:explanation[0]["end"]] == "jaksa"
    assert audited["changed"] == 1 and "Virtanen" not in json.dumps(audited)
    assert refilter(conn, NewerFilter(), cipher, actor="dpo", role="dpo").checked == 0  # nothing left to do


def test_the_real_filter_removes_a_name_the_stored_text_kept(settings, conn):
    cipher = components.cipher(settings)
    _store_unfiltered(conn, cipher, "t3_c", "kaverini Aino Virtanen sanoi että en ole yksin")
    with transaction(conn) as cur:
        cur.execute("UPDATE posts SET filter_version = 'filter-0.0.1'")
    report = refilter(conn, components.privacy_filter(), cipher, actor="dpo", role="dpo")
    assert report.changed == 1 and report.removed_by_type["PERSON"] >= 1
    with transaction(conn) as cur:
        row = posts.redacted_by_other_versions(cur, "filter-0.0.1", after_id=0, limit=10)[0]
    assert "Virtanen" not in cipher.decrypt(bytes(row["text_encrypted"]))
