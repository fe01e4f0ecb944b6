"""The main job of the README: the whole pipeline over the bundled sample, through Airflow.

Starts the embedded PostgreSQL, serves the sample on a local Reddit-compatible API,
runs the ``majakka_collect`` and ``majakka_score`` DAGs with ``airflow dags test`` against
it (under a scheduler the second follows the first through their Asset), and prints the
resulting queue; then (unless told not to) starts the review app with demo accounts.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from datetime import UTC, datetime

from app.airflow_env import airflow_environment, airflow_executable, init_commands
from app.demo.partners import demo_partner_accounts, ensure_demo_partners
from app.demo.reddit_api import RedditServer, RedditState
from app.demo.sample import load_sample
from core.config import Settings, load_settings, secrets_file
from core.db.connection import Connection

DAG_IDS = ("majakka_collect", "majakka_score")


def sample_server(port: int = 0) -> RedditServer:
    state = RedditState()
    state.add(load_sample())
    return RedditServer(state, port=port)


def serve_sample_forever(port: int) -> None:
    server = sample_server(port)
    print(f"Reddit-compatible sample API on {server.base_url} (Ctrl-C to stop)", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        server.shutdown()


def _ensure_secrets() -> None:
    from core.secrets_file import add_missing, write

    path = secrets_file()
    if not path.exists():
        write(path)
        print(f"Generated demo secrets in {path} (git-ignored).")
    elif added := add_missing(path):
        print(f"Added {', '.join(added)} to {path} (git-ignored).")


#: Where the sample's communities are: Swedish posts from r/Suomi are Finland-Swedes'.
DEMO_COUNTRIES = {"Suomi": "FI", "Finland": "FI", "arkisuomi": "FI", "mielenterveys": "FI",
                  "sweden": "SE", "svenskpolitik": "SE", "Gothenburg": "SE"}


def _record_demo_consent(conn: Connection, communities: list[str]) -> None:
    """Consent records for the sample's communities, marked as demo data (collection needs them)."""
    from datetime import date, timedelta

    from core.db.connection import transaction
    from governance import consent

    with transaction(conn) as cur:
        current = {s.name for s in consent.statuses(cur, "reddit") if s.collectable}
        for name in communities:
            if name not in current:
                consent.record_consent(cur, source="reddit", community=name,
                                       agreed_by="demo: the bundled sample, no real agreement",
                                       agreed_on=date.today(), scope="public posts and comments (demo)",
                                       review_due=date.today() + timedelta(days=365), document_ref="DEMO",
                                       actor="demo", role="system")
            if name in DEMO_COUNTRIES:
                consent.set_country(cur, source="reddit", community=name, country=DEMO_COUNTRIES[name])


def _run(command: list[str], env: dict[str, str], log_path) -> None:
    with open(log_path, "a", encoding="utf-8") as log:
        log.write(f"$ {' '.join(command)}\n")
        log.flush()
        result = subprocess.run(command, env=env, stdout=log, stderr=subprocess.STDOUT, check=False)
    if result.returncode != 0:
        raise RuntimeError(f"`{' '.join(command[1:])}` failed (exit {result.returncode}); see {log_path}")


STAGE_ACTIONS = {"collect.run": "collect", "score.run": "score", "queue.enqueue": "enqueue"}


def print_stage_counts(conn: Connection, since) -> None:
    """Each stage's counts summed over its audit events since ``since`` (the audit log holds counts, never text).

    Scoring runs as several mapped tasks, one event each, hence the sum.
    """
    from collections import Counter

    from core import audit
    from core.db.connection import transaction

    with transaction(conn) as cur:
        events = audit.details_since(cur, list(STAGE_ACTIONS), since)
    totals: dict[str, Counter] = {action: Counter() for action in STAGE_ACTIONS}
    for row in events:
        totals[row["action"]].update({key: value for key, value in row["details"].items()
                                      if isinstance(value, int) and key not in ("first_id", "last_id")})
    for action, stage in STAGE_ACTIONS.items():
        print(f"  {stage:<8} {json.dumps(dict(sorted(totals[action].items())))}")
    print()


def run_demo(*, port: int = 0, queue_limit: int = 15, web_port: int | None = None) -> int:
    from app.runners import prepared_connection

    _ensure_secrets()
    settings = load_settings()
    with prepared_connection(settings) as conn:
        return _pipeline_then_app(conn, settings, port=port, queue_limit=queue_limit, web_port=web_port)


def _pipeline_then_app(conn: Connection, settings: Settings, *, port: int, queue_limit: int,
                       web_port: int | None) -> int:
    from app import components
    from outreach.queue_view import print_queue

    server = None
    overrides: dict[str, str] = {}
    if settings.reddit_base_url is None:
        server = sample_server(port)
        server.start_in_background()
        overrides["MAJAKKA_REDDIT_BASE_URL"] = server.base_url
        subreddits = sorted({item.subreddit for item in server.state.items.values()})
        if "MAJAKKA_SUBREDDITS" not in os.environ:
            overrides["MAJAKKA_SUBREDDITS"] = ",".join(subreddits)
        _record_demo_consent(conn, subreddits)
        ensure_demo_partners(conn)
        print(f"Serving {len(server.state.items)} sample items on {server.base_url}")
    else:
        print(f"Using the Reddit-compatible API at {settings.reddit_base_url} (MAJAKKA_REDDIT_BASE_URL)")

    env = {**os.environ, **airflow_environment(settings.home), **overrides}
    log_path = settings.home / "demo-airflow.log"
    airflow = airflow_executable()
    started = time.monotonic()
    started_at = datetime.now(UTC)
    try:
        print("Preparing Airflow's metadata database and pool ...", flush=True)
        for command in init_commands(airflow):
            _run(command, env, log_path)
        for dag_id in DAG_IDS:
            print(f"Running DAG {dag_id} with `airflow dags test` (log: {log_path}) ...", flush=True)
            _run([airflow, "dags", "test", dag_id], env, log_path)
    except RuntimeError as error:
        print(str(error), file=sys.stderr)
        return 1
    finally:
        if server is not None:
            server.shutdown()
    print(f"Pipeline finished in {time.monotonic() - started:.0f} s.")
    print_stage_counts(conn, started_at)
    print_queue(conn, components.cipher(settings), limit=queue_limit, actor="demo")
    if web_port is not None:
        _serve_review_app(conn, settings, web_port)
    return 0


def _serve_review_app(conn: Connection, settings: Settings, web_port: int) -> None:
    """Print fresh demo passwords once, then run the review app on plain HTTP on localhost."""
    from app.review.server import demo_accounts, demo_second_factors, serve

    own, partners_staff = demo_accounts(conn), demo_partner_accounts(conn)
    keys = demo_second_factors(conn, settings, [(u, r) for u, r, _ in own] + [(u, r) for u, r, _, _ in partners_staff])
    print("Demo accounts (new passwords and authenticator keys each run; only hashes and encrypted keys are kept).")
    print("Supervisors, DPOs and admins also give a one-time code: add the key to an authenticator app, or run")
    print("`majakka totp-code KEY` for the current code.")
    for username, role, password in own:
        print(f"  {role:<12} {username:<8} {password}  {keys.get(username, '')}")
    print("Example partners' staff (each sees only their partner's queue):")
    for username, role, partner, password in partners_staff:
        print(f"  {role:<12} {username:<8} {password}  {keys.get(username, '')}  ({partner})")
    serve(settings.model_copy(update={"web_cookie_secure": False}), host="127.0.0.1", port=web_port)
