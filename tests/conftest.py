"""Shared fixtures: a real throwaway PostgreSQL, the local Reddit-compatible API, settings.

Environment for Majakka and Airflow is set at import time, before anything imports
``airflow`` (Airflow reads its configuration once, on first import).
"""

from __future__ import annotations

import os
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

_TEST_HOME = Path(tempfile.mkdtemp(prefix="majakka-test-"))
os.environ.update({
    "MAJAKKA_HOME": str(_TEST_HOME),
    "MAJAKKA_PSEUDONYM_KEY": "test-pseudonym-key-" + "k" * 32,
    "MAJAKKA_ENCRYPTION_KEY": Fernet.generate_key().decode(),
    "MAJAKKA_REDDIT_CLIENT_ID": "test-client",
    "MAJAKKA_REDDIT_CLIENT_SECRET": "test-secret",
    "MAJAKKA_BACKOFF_SECONDS": "0.01",
    "MAJAKKA_MAX_RETRY_AFTER_SECONDS": "0.05",
    "MAJAKKA_REQUEST_TIMEOUT_SECONDS": "0.5",
    # tests walk every route anonymously from one address; tests/app/review/test_rate_limits.py sets its own
    "MAJAKKA_PUBLIC_REQUESTS_PER_MINUTE": "100000",
    "MAJAKKA_PUBLIC_OPT_OUTS_PER_HOUR": "1000",
})
from app.airflow_env import airflow_environment  # noqa: E402 - env above must come first

os.environ.update(airflow_environment(_TEST_HOME))

import psycopg2  # noqa: E402

from app.demo.reddit_api import RedditServer, RedditState  # noqa: E402
from app.demo.sample import SampleItem, load_sample  # noqa: E402
from core.config import Settings, get_settings  # noqa: E402
from core.db.migrate import migrate  # noqa: E402

TEMPLATE_DB = "majakka_template"


@pytest.fixture(scope="session")
def pg_server():
    """A PostgreSQL 16 server in a temporary directory, deleted after the session."""
    import pgserver

    server = pgserver.get_server(_TEST_HOME / "pgdata", cleanup_mode="delete")
    server.psql(f'CREATE DATABASE "{TEMPLATE_DB}";')
    conn = psycopg2.connect(server.get_uri(TEMPLATE_DB))
    migrate(conn)
    conn.close()
    yield server
    server.cleanup()


@pytest.fixture
def database_url(pg_server) -> Iterator[str]:
    """A fresh, migrated database per test (cloned from the template: fast)."""
    name = f"t_{uuid.uuid4().hex[:12]}"
    pg_server.psql(f'CREATE DATABASE "{name}" TEMPLATE "{TEMPLATE_DB}";')
    yield pg_server.get_uri(name)
    pg_server.psql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE);')


@pytest.fixture
def empty_database_url(pg_server) -> Iterator[str]:
    """A database with no schema at all, for testing the migration path from empty."""
    name = f"e_{uuid.uuid4().hex[:12]}"
    pg_server.psql(f'CREATE DATABASE "{name}";')
    yield pg_server.get_uri(name)
    pg_server.psql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE);')


@pytest.fixture
def conn(database_url):
    connection = psycopg2.connect(database_url)
    yield connection
    connection.close()


@pytest.fixture
def reddit_state() -> RedditState:
    return RedditState()


@pytest.fixture
def reddit_server(reddit_state) -> Iterator[RedditServer]:
    server = RedditServer(reddit_state)
    server.start_in_background()
    yield server
    server.shutdown()
    server.server_close()


def grant_consent(database_url: str, communities: list[str]) -> None:
    """Current consent records for ``communities``, as a deployment has for its partner communities."""
    from datetime import date, timedelta

    from core.db.connection import transaction
    from governance.consent import record_consent

    connection = psycopg2.connect(database_url)
    try:
        with transaction(connection) as cur:
            for name in communities:
                record_consent(cur, source="reddit", community=name, agreed_by="test moderators",
                               agreed_on=date.today() - timedelta(days=30), scope="public posts and comments",
                               review_due=date.today() + timedelta(days=335), document_ref="TEST-1",
                               actor="test", role="system")
    finally:
        connection.close()


@pytest.fixture
def settings(database_url, reddit_server, monkeypatch, sample_items) -> Settings:
    """Settings pointing at the test database and the local API (env too, for subprocesses).

    The test and sample communities have current consent records, as partner communities do.
    """
    grant_consent(database_url, sorted({"Suomi", "sweden", *(item.subreddit for item in sample_items)}))
    monkeypatch.setenv("MAJAKKA_DATABASE_URL", database_url)
    monkeypatch.setenv("MAJAKKA_REDDIT_BASE_URL", reddit_server.base_url)
    monkeypatch.setenv("MAJAKKA_SUBREDDITS", "Suomi,sweden")
    get_settings.cache_clear()
    yield get_settings()
    get_settings.cache_clear()


@pytest.fixture(scope="session")
def sample_items() -> list[SampleItem]:
    return load_sample()
