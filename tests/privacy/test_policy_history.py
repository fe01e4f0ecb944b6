"""The filter policy history: recorded verbatim at first use, immutable, versions honest."""

from __future__ import annotations

import psycopg2
import pytest

from core.db.connection import transaction
from privacy.policy import DEFAULT_POLICY_PATH, load_policy
from privacy.policy_history import PolicyChangedError, history, policy_text, record_policy


def test_active_policy_is_recorded_once_verbatim(conn):
    with transaction(conn) as cur:
        first = record_policy(cur)
        again = record_policy(cur)
        assert first == again
        assert [r.version for r in history(cur)] == [load_policy().version]
        assert policy_text(cur, first.version) == DEFAULT_POLICY_PATH.read_text(encoding="utf-8")


def test_changed_policy_with_the_same_version_is_refused(conn, tmp_path):
    with transaction(conn) as cur:
        record_policy(cur)
    edited = tmp_path / "filter_policy.yaml"
    edited.write_text(DEFAULT_POLICY_PATH.read_text(encoding="utf-8") + "\n# a quiet edit\n", encoding="utf-8")
    with pytest.raises(PolicyChangedError, match="bump the version"), transaction(conn) as cur:
        record_policy(cur, edited)


def test_new_version_is_added_to_history(conn, tmp_path):
    with transaction(conn) as cur:
        old = record_policy(cur)
    text = DEFAULT_POLICY_PATH.read_text(encoding="utf-8").replace(old.version, "filter-99.0.0")
    newer = tmp_path / "filter_policy.yaml"
    newer.write_text(text, encoding="utf-8")
    with transaction(conn) as cur:
        record_policy(cur, newer)
        assert [r.version for r in history(cur)] == [old.version, "filter-99.0.0"]


def test_history_cannot_be_rewritten(conn):
    with transaction(conn) as cur:
        record_policy(cur)
    with pytest.raises(psycopg2.errors.InsufficientPrivilege), transaction(conn) as cur:
        cur.execute("UPDATE filter_policies SET policy_text = 'nothing to see'")


def test_collection_records_the_policy_it_used(settings, conn, reddit_state):
    from app import components
    from tests.factories import make_item

    reddit_state.add([make_item("p00001", "En jaksa enää, ahdistaa joka päivä")])
    components.ingestor(settings, conn).run(conn)
    with transaction(conn) as cur:
        cur.execute("SELECT p.filter_version, f.version FROM posts p LEFT JOIN filter_policies f "
                    "ON f.version = p.filter_version")
        row = cur.fetchone()
    assert row["filter_version"] == row["version"] == load_policy().version
