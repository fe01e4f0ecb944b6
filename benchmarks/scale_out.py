"""Scale-out, proven: the same DAGs under Airflow's CeleryExecutor (two workers) and LocalExecutor.

Opt-in (``make scale-out``): it needs Debian's ``redis-server`` and ``requirements-scale-out.txt``.
For each executor it starts what a deployment runs (one PostgreSQL server holding Airflow's
metadata and Majakka's database, an api-server, a scheduler, a dag-processor; for Celery also a
Redis broker and two workers with their own log folders, as two hosts would have), unpauses
``majakka_collect`` over the demo feed served by the local Reddit-compatible API, waits for the
collection and the ``majakka_score`` run its Asset triggers, and reads back:

- which worker ran each mapped ``score_batch`` task (from the worker whose log folder holds it),
- the collection-to-queue time (post stored -> suggestion queued) and the cycle time,
- every stored post's level and every queued suggestion, which must equal the LocalExecutor run's.

Everything it started is stopped and its working folder removed (``--keep`` keeps the logs).
Each executor gets its own Majakka database, so the two runs start from the same empty state.
"""

from __future__ import annotations

import argparse
import logging
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import psycopg2
import psycopg2.extras

from app.airflow_env import airflow_environment, airflow_executable, init_commands
from app.demo.job import _record_demo_consent, sample_server
from core.config import load_settings, secrets_file
from core.db import embedded
from core.db.connection import embedded_passwords
from models.lifecycle import registry

DAGS = ("majakka_collect", "majakka_score")
WORKERS = ("worker-1", "worker-2")
#: Small ranges so that the demo feed becomes several mapped scoring tasks to share.
RANGE_SIZE = 48
COLLECTION_SCHEDULE_MINUTES = 10
TIMEOUT_SECONDS = 1200


@dataclass
class Cycle:
    """What one executor's run left behind, read from Airflow's metadata and Majakka's database."""

    executor: str
    levels: dict[str, int | None]
    queued: dict[str, int]
    batches: list[dict] = field(default_factory=list)
    cycle_seconds: float = 0.0
    window: str = ""
    store_to_queue_seconds: float = 0.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Processes:
    """Child processes in their own sessions, each logging to a file; stopped in reverse order."""

    def __init__(self, log_dir: Path) -> None:
        self.log_dir = log_dir
        self.running: list[tuple[str, subprocess.Popen]] = []

    def start(self, name: str, command: list[str], env: dict[str, str]) -> None:
        log = open(self.log_dir / f"{name}.log", "w", encoding="utf-8")  # noqa: SIM115 - closed with the process
        process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        log.close()
        self.running.append((name, process))

    def check_alive(self) -> None:
        for name, process in self.running:
            if process.poll() is not None:
                raise RuntimeError(f"{name} exited with {process.returncode}; see {self.log_dir / name}.log")

    def stop_all(self) -> None:
        for _, process in reversed(self.running):
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + 30
        for _, process in reversed(self.running):
            try:
                process.wait(timeout=max(1.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        self.running.clear()


@contextmanager
def redis_broker(processes: Processes):
    binary = shutil.which("redis-server")
    if binary is None:
        raise SystemExit("redis-server is not installed: apt-get install redis-server (or run `make scale-out`)")
    port = free_port()
    processes.start("redis", [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
                    dict(os.environ))
    yield f"redis://127.0.0.1:{port}/0"


def run(command: list[str], env: dict[str, str], log: Path) -> None:
    with open(log, "a", encoding="utf-8") as handle:
        result = subprocess.run(command, env=env, stdout=handle, stderr=subprocess.STDOUT, check=False)
    if result.returncode != 0:
        raise RuntimeError(f"`{' '.join(command[1:])}` failed (exit {result.returncode}); see {log}")


def ensure_database(server, name: str, passwords: embedded.Passwords) -> tuple[str, str]:
    """Create ``name`` on the embedded server; returns its URLs as (the app role, the owner role)."""
    embedded.ensure_database(server, name, passwords)
    return (embedded.url(server, role=embedded.APP_ROLE, password=passwords.app, database=name),
            embedded.url(server, role=embedded.OWNER_ROLE, password=passwords.owner, database=name))


def metadata(url: str):
    return psycopg2.connect(url, cursor_factory=psycopg2.extras.RealDictCursor)


def wait_for(description: str, check, processes: Processes, timeout: float = TIMEOUT_SECONDS):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        processes.check_alive()
        found = check()
        if found:
            return found
        time.sleep(3)
    raise RuntimeError(f"timed out waiting for {description}")


def finished_run(meta_url: str, dag_id: str):
    """The DAG's first finished run, or None; a failed run stops the check."""
    with metadata(meta_url) as conn, conn.cursor() as cur:
        cur.execute("SELECT run_id, state, start_date, end_date FROM dag_run WHERE dag_id = %s ORDER BY id LIMIT 1",
                    (dag_id,))
        row = cur.fetchone()
    if row is None or row["state"] not in ("success", "failed"):
        return None
    if row["state"] == "failed":
        raise RuntimeError(f"{dag_id} run {row['run_id']} failed")
    return row


def dags_parsed(meta_url: str) -> bool:
    with metadata(meta_url) as conn, conn.cursor() as cur:
        cur.execute("SELECT count(*) AS n FROM serialized_dag WHERE dag_id = ANY(%s)", (list(DAGS),))
        return cur.fetchone()["n"] == len(DAGS)


def mapped_batches(meta_url: str, run_id: str, log_folders: dict[str, Path]) -> list[dict]:
    """Each mapped score_batch task: when it ran and which worker's log folder holds its log."""
    with metadata(meta_url) as conn, conn.cursor() as cur:
        cur.execute("SELECT map_index, state, start_date, end_date, hostname FROM task_instance"
                    " WHERE dag_id = 'majakka_score' AND task_id = 'score_batch' AND run_id = %s ORDER BY map_index",
                    (run_id,))
        rows = cur.fetchall()
    for row in rows:
        pattern = f"**/task_id=score_batch/map_index={row['map_index']}/*.log"
        row["worker"] = next((name for name, folder in log_folders.items() if any(folder.glob(pattern))), "-")
    return rows


def majakka_results(url: str) -> tuple[dict[str, int | None], dict[str, int], float]:
    """Every stored post's level from the active model, the queued suggestions, and the slowest store-to-queue."""
    with metadata(url) as conn, conn.cursor() as cur:
        version = registry.active_version(cur)
        cur.execute("SELECT p.source_id, s.level FROM posts p LEFT JOIN scores s"
                    " ON s.post_id = p.id AND s.model_version = %s", (version,))
        levels = {row["source_id"]: row["level"] for row in cur.fetchall()}
        cur.execute("SELECT p.source_id, g.level, extract(epoch FROM g.created_at - p.collected_at) AS wait"
                    " FROM suggestions g JOIN posts p ON p.id = g.post_id")
        rows = cur.fetchall()
    return levels, {row["source_id"]: row["level"] for row in rows}, max((float(r["wait"]) for r in rows), default=0.0)


def run_cycle(executor: str, work: Path, server, feed_url: str, subreddits: list[str]) -> Cycle:
    """Start Airflow with ``executor``, run one collect and the score run it triggers, read the results."""
    base = work / executor
    base.mkdir()
    passwords = embedded_passwords(load_settings())
    majakka_url, majakka_owner_url = ensure_database(server, f"majakka_{executor.lower()}", passwords)
    _, meta_url = ensure_database(server, f"airflow_{executor.lower()}", passwords)  # Airflow owns its schema
    sqlalchemy_url = meta_url.replace("postgresql://", "postgresql+psycopg2://", 1)
    api_port = free_port()
    settings = load_settings().model_copy(update={"database_url": majakka_url,
                                                  "migration_database_url": majakka_owner_url})
    from app.runners import prepared_connection

    with prepared_connection(settings) as conn:
        _record_demo_consent(conn, subreddits)
    env = {
        **os.environ, **airflow_environment(base),
        "MAJAKKA_DATABASE_URL": majakka_url, "MAJAKKA_MIGRATION_DATABASE_URL": majakka_owner_url,
        "MAJAKKA_REDDIT_BASE_URL": feed_url,
        "MAJAKKA_SUBREDDITS": ",".join(subreddits), "MAJAKKA_SCORE_RANGE_SIZE": str(RANGE_SIZE),
        "AIRFLOW__CORE__EXECUTOR": executor,
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": sqlalchemy_url,
        "AIRFLOW__API__PORT": str(api_port),
        "AIRFLOW__CORE__EXECUTION_API_SERVER_URL": f"http://127.0.0.1:{api_port}/execution/",
        "AIRFLOW__API_AUTH__JWT_SECRET": secrets.token_hex(32),
        "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_ALL_ADMINS": "True",
        "AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION": "True",
        "AIRFLOW__DAG_PROCESSOR__REFRESH_INTERVAL": "10",
    }
    airflow = airflow_executable()
    processes = Processes(base)
    log_folders: dict[str, Path] = {}
    with ExitStack() as stack:
        stack.callback(processes.stop_all)
        if executor == "CeleryExecutor":
            broker = stack.enter_context(redis_broker(processes))
            env["AIRFLOW__CELERY__BROKER_URL"] = broker
            env["AIRFLOW__CELERY__RESULT_BACKEND"] = "db+" + sqlalchemy_url
        for command in init_commands(airflow):
            run(command, env, base / "init.log")
        processes.start("api-server", [airflow, "api-server", "--port", str(api_port)], env)
        processes.start("scheduler", [airflow, "scheduler"], env)
        processes.start("dag-processor", [airflow, "dag-processor"], env)
        if executor == "CeleryExecutor":
            for name in WORKERS:
                log_folders[name] = base / f"logs-{name}"
                worker_env = {**env, "AIRFLOW__LOGGING__BASE_LOG_FOLDER": str(log_folders[name]),
                              "AIRFLOW__LOGGING__WORKER_LOG_SERVER_PORT": str(free_port())}
                processes.start(name, [airflow, "celery", "worker", "--celery-hostname", f"{name}@%h",
                                       "--concurrency", "1"], worker_env)
        else:
            log_folders["local"] = base / "airflow" / "logs"
        wait_for("the DAGs to be parsed", lambda: dags_parsed(meta_url), processes)
        for dag_id in reversed(DAGS):
            run([airflow, "dags", "unpause", dag_id], env, base / "init.log")
        print(f"  [{executor}] DAGs unpaused; waiting for a collection and the scoring it triggers ...", flush=True)
        collected = wait_for("majakka_collect", lambda: finished_run(meta_url, "majakka_collect"), processes)
        scored = wait_for("majakka_score", lambda: finished_run(meta_url, "majakka_score"), processes)
        for dag_id in DAGS:
            run([airflow, "dags", "pause", dag_id], env, base / "init.log")
        batches = mapped_batches(meta_url, scored["run_id"], log_folders)
    levels, queued, store_to_queue = majakka_results(majakka_url)
    return Cycle(executor, levels, queued, batches,
                 cycle_seconds=(scored["end_date"] - collected["start_date"]).total_seconds(),
                 store_to_queue_seconds=store_to_queue,
                 window=f"collect {collected['start_date']:%H:%M:%S}-{collected['end_date']:%H:%M:%S}, "
                        f"score {scored['start_date']:%H:%M:%S}-{scored['end_date']:%H:%M:%S} UTC")


def report(cycle: Cycle) -> None:
    scored = sum(level is not None for level in cycle.levels.values())
    print(f"\n{cycle.executor}: {len(cycle.levels)} posts stored, {scored} scored, {len(cycle.queued)} queued; "
          f"collect start -> score end {cycle.cycle_seconds:.0f} s; slowest store -> queue "
          f"{cycle.store_to_queue_seconds:.0f} s ({cycle.window})")
    for batch in cycle.batches:
        seconds = (batch["end_date"] - batch["start_date"]).total_seconds()
        print(f"  score_batch[{batch['map_index']}] {batch['state']:<8} {seconds:6.1f} s  on {batch['worker']}"
              f"  ({batch['start_date']:%H:%M:%S}-{batch['end_date']:%H:%M:%S})")


def compare(local: Cycle, celery: Cycle) -> bool:
    same_levels = local.levels == celery.levels
    same_queue = local.queued == celery.queued
    workers = {batch["worker"] for batch in celery.batches}
    print(f"\nsame stored posts and levels: {same_levels}; same queue: {same_queue}; "
          f"mapped scoring ran on: {', '.join(sorted(workers))}")
    worst = COLLECTION_SCHEDULE_MINUTES * 60 + max(local.cycle_seconds, celery.cycle_seconds)
    print(f"post-to-queue latency, worst case: {COLLECTION_SCHEDULE_MINUTES} min waiting for the next collection"
          f" + the measured cycle = {worst / 60:.1f} min (target <= 15 min)")
    return same_levels and same_queue and set(WORKERS) <= workers


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", action="store_true", help="keep the working folder (logs) afterwards")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, force=True)
    for noisy in ("pgserver", "core.db.embedded"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    work = Path(tempfile.mkdtemp(prefix="majakka-scale-out-"))
    os.environ["MAJAKKA_HOME"] = str(work / "home")
    from core.secrets_file import write

    write(secrets_file())
    feed = sample_server()
    feed.start_in_background()
    subreddits = sorted({item.subreddit for item in feed.state.items.values()})
    print(f"Working in {work}; the demo feed ({len(feed.state.items)} items) on {feed.base_url}", flush=True)
    try:
        server = embedded.start(work / "home", embedded_passwords(load_settings()))
        cycles = {executor: run_cycle(executor, work, server, feed.base_url, subreddits)
                  for executor in ("LocalExecutor", "CeleryExecutor")}
        for cycle in cycles.values():
            report(cycle)
        return 0 if compare(cycles["LocalExecutor"], cycles["CeleryExecutor"]) else 1
    finally:
        feed.shutdown()
        embedded.stop(work / "home")
        if args.keep:
            print(f"logs kept in {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
