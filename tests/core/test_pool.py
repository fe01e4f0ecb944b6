"""The waiting connection pool: borrowers wait instead of failing, broken connections are not lent again."""

from __future__ import annotations

import threading
import time

import psycopg2
import pytest

from core.db import pool as pool_module
from core.db.pool import DatabaseUnavailableError, WaitingPool


def _pool(dsn: str, size: int = 2, wait: float = 10) -> WaitingPool:
    return WaitingPool(dsn, size=size, wait_seconds=wait, application_name="pool-test")


def test_more_borrowers_than_connections_all_get_one(database_url) -> None:
    pool = _pool(database_url, size=2)
    lent_now, most_lent, answers = 0, 0, []
    lock = threading.Lock()

    def borrow() -> None:
        nonlocal lent_now, most_lent
        conn = pool.getconn()
        with lock:
            lent_now += 1
            most_lent = max(most_lent, lent_now)
        with conn.cursor() as cur:
            cur.execute("SELECT pg_sleep(0.05), 1")
            answers.append(cur.fetchone()[1])
        with lock:
            lent_now -= 1
        pool.putconn(conn)

    threads = [threading.Thread(target=borrow) for _ in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    pool.closeall()
    assert answers == [1] * 12
    assert most_lent == 2


def test_a_borrower_gets_a_clear_error_when_none_comes_back_in_time(database_url) -> None:
    pool = _pool(database_url, size=1, wait=0.2)
    held = pool.getconn()
    with pytest.raises(DatabaseUnavailableError, match="no database connection became free"):
        pool.getconn()
    pool.putconn(held)
    again = pool.getconn()
    assert again is held
    pool.putconn(again)
    pool.closeall()


def test_a_returned_connection_is_rolled_back(database_url) -> None:
    pool = _pool(database_url, size=1)
    conn = pool.getconn()
    with conn.cursor() as cur:
        cur.execute("CREATE TABLE left_open (x int)")
    pool.putconn(conn)  # the route never committed
    conn = pool.getconn()
    with conn.cursor() as cur:
        cur.execute("SELECT to_regclass('left_open') IS NULL")
        assert cur.fetchone()[0] is True
    pool.putconn(conn)
    pool.closeall()


def test_a_closed_connection_is_replaced_not_lent_again(database_url) -> None:
    pool = _pool(database_url, size=1)
    conn = pool.getconn()
    conn.close()
    pool.putconn(conn)
    fresh = pool.getconn()
    assert fresh is not conn and not fresh.closed
    pool.putconn(fresh)
    pool.closeall()


def test_an_idle_connection_the_server_dropped_is_replaced(database_url, monkeypatch) -> None:
    monkeypatch.setattr(pool_module, "_CHECK_AFTER_IDLE_SECONDS", 0.0)
    pool = _pool(database_url, size=1)
    conn = pool.getconn()
    with conn.cursor() as cur:
        cur.execute("SELECT pg_backend_pid()")
        pid = cur.fetchone()[0]
    pool.putconn(conn)
    killer = psycopg2.connect(database_url)
    killer.autocommit = True
    with killer.cursor() as cur:
        cur.execute("SELECT pg_terminate_backend(%s)", (pid,))
    killer.close()
    time.sleep(0.1)
    fresh = pool.getconn()
    with fresh.cursor() as cur:
        cur.execute("SELECT pg_backend_pid()")
        assert cur.fetchone()[0] != pid
    pool.putconn(fresh)
    pool.closeall()


def test_an_unreachable_server_is_a_clear_error_and_frees_the_slot() -> None:
    pool = _pool("postgresql://nobody@127.0.0.1:9/none?connect_timeout=1", size=1, wait=0.2)
    for _ in range(2):  # the failed attempt gave its slot back
        with pytest.raises(DatabaseUnavailableError, match="cannot be reached"):
            pool.getconn()


def test_a_pool_needs_a_connection() -> None:
    with pytest.raises(ValueError):
        WaitingPool("postgresql://x", size=0, wait_seconds=1, application_name="x")
