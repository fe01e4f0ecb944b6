"""The review app under a full shift: many reviewers at once over a large queue.

What it does, in a throwaway PostgreSQL of its own (nothing else is touched):
1. seeds ``--suggestions`` open suggestions (default 100,000; fi and sv, levels 2-4, redacted text
   encrypted with a throwaway key) through the functions the pipeline writes with, and
   ``--reviewers`` counsellor accounts;
2. starts the real app (uvicorn, one process, the default worker threads) on a free local port;
3. signs every reviewer in first, one after another (sign-in throttling is not what it measures);
4. baseline: one reviewer alone opens the queue list and an item page ``--rounds`` times;
5. load: all reviewers at once (arriving over one think time), each ``--rounds`` times: open the
   queue list, open one of its items, think ``--think`` seconds (jittered +-50 %).
It prints errors and latency percentiles per page, each beside the lone reviewer's figure from
the same run, and the issue's targets (0 errors, p95 < 100 ms for list and item pages).

    PYTHONPATH=. .venv/bin/python benchmarks/review_load.py [--suggestions 100000] [--reviewers 50]
"""

from __future__ import annotations

import argparse
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import psycopg2

PASSWORD = "load-test-password-1"
TARGET_P95_MS = 100.0
PAGES = ("queue list", "item page")


@dataclass
class Tally:
    """Latencies (ms) and failures per page kind."""

    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    examples: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, page: str, started: float, response: httpx.Response | None, problem: str = "") -> None:
        elapsed = (time.perf_counter() - started) * 1000
        with self.lock:
            self.latencies[page].append(elapsed)
            if response is None or response.status_code != 200:
                self.errors[page] += 1
                if len(self.examples) < 5:
                    self.examples.append(problem or f"{page}: HTTP {response.status_code}")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def seed(dsn: str, suggestions: int, reviewers: int) -> None:
    """Posts, scores and open suggestions through their owners' functions (as the pipeline writes them),
    in one transaction per stage, and the reviewer accounts (one team)."""
    from datetime import UTC, datetime, timedelta

    from app import components
    from app.staff import accounts
    from core.config import get_settings
    from core.db.connection import transaction
    from core.db.migrate import migrate
    from core.levels import RiskLevel
    from models.serving import scores
    from models.serving.scoring import Evidence, Score
    from outreach.queue import enqueue_scored
    from privacy import posts
    from privacy.posts import RedactedPost

    conn = psycopg2.connect(dsn)
    migrate(conn)
    settings = get_settings()
    cipher = components.cipher(settings)
    texts = {"fi": cipher.encrypt("En jaksa enää. Kukaan ei huomaa mitään."),
             "sv": cipher.encrypt("Jag orkar inte mer. Ingen märker något.")}
    now = datetime.now(UTC)
    with transaction(conn) as cur:
        for index in range(suggestions):
            language = "fi" if index % 2 else "sv"
            community = "Suomi" if language == "fi" else "sweden"
            posts.insert(cur, RedactedPost(
                "reddit", f"t3_load{index}", "post", community,
                f"https://www.reddit.com/r/{community}/comments/load{index}/", f"{index:064x}", "load-key", language,
                texts[language], 40, {}, "load-filter", now - timedelta(minutes=index % 4000)), 30)
        cur.execute("SELECT id FROM posts ORDER BY id")
        post_ids = [row["id"] for row in cur.fetchall()]
    rng = random.Random(0)
    with transaction(conn) as cur:
        for post_id in post_ids:
            level = 2 + post_id % 3
            confidence = rng.uniform(0.4, 0.95)
            probabilities = [(1 - confidence) / 4] * 5
            probabilities[level] = confidence
            scores.insert(cur, post_id, "load-model", Score(RiskLevel(level), tuple(probabilities), "load-model",
                                                            (Evidence("En jaksa", 0, 8, 0.5, "raises risk"),), "self"))
    enqueue_scored(conn, model_version="load-model", policy=components.queue_policy(settings, conn))
    with transaction(conn) as cur:
        team = accounts.ensure_team(cur, "Load team", 40)
        for index in range(reviewers):
            accounts.create(cur, username=f"reviewer{index}", display_name=f"Reviewer {index}", role="counsellor",
                            password=PASSWORD, team_id=team, ui_language="fi", actor="benchmark",
                            actor_role="system")
        cur.execute("SELECT count(*) AS n FROM suggestions")
        print(f"Seeded {cur.fetchone()['n']:,} open suggestions and {reviewers} reviewer accounts.", flush=True)
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("ANALYZE")
    conn.close()


def start_app(port: int) -> subprocess.Popen:
    """The real app in its own process, as ``majakka serve`` runs it (without the demo accounts)."""
    code = ("import uvicorn; from app.review.app import create_app; from core.config import get_settings; "
            f"uvicorn.run(create_app(get_settings()), host='127.0.0.1', port={port}, log_level='warning')")
    server = subprocess.Popen([sys.executable, "-c", code])
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health", timeout=2).status_code == 200:
                return server
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    server.kill()
    raise SystemExit("the review app did not start within 60 s")


def sign_in(base: str, username: str) -> httpx.Client:
    client = httpx.Client(base_url=base, timeout=60)
    page = client.get("/login?lang=fi")
    token = re.search(r'name="login_csrf" value="([^"]+)"', page.text).group(1)
    answer = client.post("/login", data={"username": username, "password": PASSWORD, "login_csrf": token})
    if answer.status_code != 303:
        raise SystemExit(f"{username} could not sign in: HTTP {answer.status_code}")
    return client


def work(client: httpx.Client, tally: Tally, rounds: int, think: float, rng: random.Random) -> None:
    """One reviewer's rounds: the queue list, then one of its items, then a pause."""
    listing: httpx.Response | None = None
    time.sleep(think * rng.random())  # reviewers arrive over one think time, not in the same millisecond
    for _ in range(rounds):
        for page, path in (("queue list", "/queue"), ("item page", None)):
            if path is None:
                ids = re.findall(r'href="/items/(\d+)"', listing.text) if listing is not None else []
                if not ids:
                    continue
                path = f"/items/{rng.choice(ids[:40])}"
            started = time.perf_counter()
            try:
                response = client.get(path, headers={"accept": "text/html"})
            except httpx.HTTPError as error:
                tally.record(page, started, None, f"{page}: {type(error).__name__}")
                listing = None
                continue
            tally.record(page, started, response)
            if page == "queue list":
                listing = response if response.status_code == 200 else None
        time.sleep(think * rng.uniform(0.5, 1.5))


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else float("nan")


def report(alone: Tally, loaded: Tally, reviewers: int, suggestions: int) -> list[str]:
    lines = [f"Review app: {reviewers} reviewers at once over {suggestions:,} open suggestions "
             f"(this machine: {os.cpu_count()} cores; app and database on it too)",
             f"  {'page':12} {'requests':>8} {'errors':>6} {'p50 ms':>7} {'p95 ms':>7} {'alone p95':>9} "
             f"{'ratio':>6}  target p95 < {TARGET_P95_MS:.0f} ms, 0 errors"]
    for page in PAGES:
        values, alone_values = loaded.latencies[page], alone.latencies[page]
        p95, alone_p95 = percentile(values, 0.95), percentile(alone_values, 0.95)
        met = "met" if p95 < TARGET_P95_MS and loaded.errors[page] == 0 else "NOT met"
        lines.append(f"  {page:12} {len(values):8d} {loaded.errors[page]:6d} {statistics.median(values):7.1f} "
                     f"{p95:7.1f} {alone_p95:9.1f} {p95 / alone_p95:6.2f}  {met}")
    lines += [f"  first errors: {loaded.examples}"] if loaded.examples else []
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--suggestions", type=int, default=100_000)
    parser.add_argument("--reviewers", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=10, help="list + item visits per reviewer")
    parser.add_argument("--think", type=float, default=1.0, help="seconds between rounds (jittered +-50 %%)")
    args = parser.parse_args()

    import pgserver

    with tempfile.TemporaryDirectory(prefix="majakka-load-") as directory:
        home = Path(directory)
        server = pgserver.get_server(home / "pgdata", cleanup_mode="stop")
        dsn = server.get_uri("postgres")
        # all reviewers sign in from this one address: the anonymous budget would refuse their logins
        os.environ.update({"MAJAKKA_HOME": str(home), "MAJAKKA_DATABASE_URL": dsn,
                           "MAJAKKA_WEB_COOKIE_SECURE": "false", "MAJAKKA_PUBLIC_REQUESTS_PER_MINUTE": "100000"})
        subprocess.run([sys.executable, "-m", "app.cli", "secrets-init"], check=True, stdout=subprocess.DEVNULL)
        seed(dsn, args.suggestions, args.reviewers)
        port = _free_port()
        app = start_app(port)
        try:
            base = f"http://127.0.0.1:{port}"
            clients = [sign_in(base, f"reviewer{index}") for index in range(args.reviewers)]
            print(f"{len(clients)} reviewers signed in.", flush=True)
            alone = Tally()
            work(clients[0], alone, args.rounds, 0.05, random.Random(0))
            loaded = Tally()
            threads = [threading.Thread(target=work, args=(client, loaded, args.rounds, args.think,
                                                           random.Random(index)))
                       for index, client in enumerate(clients)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            print("\n".join(report(alone, loaded, args.reviewers, args.suggestions)))
        finally:
            app.terminate()
            app.wait(timeout=30)
            server.cleanup()


if __name__ == "__main__":
    main()
