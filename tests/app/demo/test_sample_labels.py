"""The demo's stand-in for counsellor corrections labels open suggestions with the sample's annotations."""

from __future__ import annotations

from app.demo.sample_labels import label_from_sample
from core.db.connection import transaction
from tests.app.review.conftest import seed_suggestions


def test_open_suggestions_get_the_sample_annotation_as_their_corrected_level(conn, settings, sample_items):
    annotated = [item for item in sample_items if item.level is not None][:4]
    seed_suggestions(conn, settings, [{"text": "teksti", "level": 3, "source_id": item.fullname}
                                      for item in annotated] + [{"text": "ei näytteessä", "level": 2}])
    counts = label_from_sample(conn, limit=3)
    assert sum(v for k, v in counts.items() if k.startswith("label_")) == 3
    assert counts.get("agreed_with_model", 0) == sum(item.level == 3 for item in annotated[:3])
    with transaction(conn) as cur:
        cur.execute("SELECT p.source_id, g.corrected_level FROM suggestions g JOIN posts p ON p.id = g.post_id "
                    "WHERE g.corrected_level IS NOT NULL ORDER BY g.id")
        labelled = {row["source_id"]: row["corrected_level"] for row in cur.fetchall()}
    assert labelled == {item.fullname: item.level for item in annotated[:3]}
    assert label_from_sample(conn, limit=10).get("label_" + str(annotated[3].level)) == 1, "only unlabelled items"
