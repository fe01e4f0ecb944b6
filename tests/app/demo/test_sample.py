"""The bundled sample is what the issue asks for, and the local API serves it as Reddit does."""

from __future__ import annotations

from collections import Counter

import pytest

from app.demo.sample import load_sample, parse_line


def test_sample_has_enough_finnish_and_swedish_items_at_every_level(sample_items):
    annotated = [i for i in sample_items if i.lang in ("fi", "sv") and i.level is not None]
    assert len(annotated) >= 300
    for lang in ("fi", "sv"):
        levels = Counter(i.level for i in annotated if i.lang == lang)
        assert set(levels) == {0, 1, 2, 3, 4}, lang
        assert min(levels.values()) >= 15, (lang, levels)


def test_sample_has_comments_other_languages_deleted_items_and_planted_data(sample_items):
    kinds = Counter(i.kind for i in sample_items)
    assert kinds["t1"] >= 100 and kinds["t3"] >= 100
    assert sum(i.lang not in ("fi", "sv") for i in sample_items) >= 20
    assert sum("deleted" in i.tags for i in sample_items) >= 10
    planted = [i for i in sample_items if i.planted_pii]
    assert len(planted) >= 40
    for item in planted:
        for value in item.planted_pii:
            assert value in f"{item.title or ''}\n{item.text}", item.id


def test_ids_are_unique_and_comments_reply_to_older_posts(sample_items):
    by_id = {i.id: i for i in sample_items}
    assert len(by_id) == len(sample_items)
    for item in sample_items:
        if item.kind == "t1":
            parent = by_id[item.parent]
            assert parent.kind == "t3" and parent.age_minutes > item.age_minutes


def test_bad_sample_line_names_the_problem():
    with pytest.raises(ValueError, match=r"x\.jsonl:3: missing keys"):
        parse_line('{"id": "a"}', "x.jsonl:3")
    with pytest.raises(ValueError, match="not JSON"):
        parse_line("{", "x.jsonl:1")


def test_load_sample_reads_every_file(tmp_path):
    line = ('{"id": "a1", "kind": "t3", "subreddit": "Suomi", "author": "x", "title": "t", "text": "b", '
            '"parent": null, "age_minutes": 1, "lang": "fi", "level": 0, "planted_pii": [], "tags": []}')
    (tmp_path / "one.jsonl").write_text(line + "\n\n")
    (tmp_path / "two.jsonl").write_text(line.replace('"a1"', '"a2"') + "\n")
    assert [i.id for i in load_sample(tmp_path)] == ["a1", "a2"]
