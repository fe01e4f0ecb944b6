"""The data-protection officer's commands: test bench, policy, audit, inventory, report, erasure, keys."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from app.runners import prepared_connection
from core.config import get_settings
from core.jsonl import bounded_lines, jsonl_streams
from privacy.normalise import DEFAULT_MAX_POST_CHARS


def cmd_redact(args: argparse.Namespace) -> int:
    from app import components
    from governance.dpo.test_bench import BenchCounts, redact_lines

    counts = BenchCounts()
    with jsonl_streams(args.input, args.output) as (source, out):
        for line in redact_lines(bounded_lines(source), components.privacy_filter(), language=args.lang,
                                 counts=counts, max_chars=args.max_chars):
            out.write(line + "\n")
            out.flush()
    print(f"redacted {counts.redacted} line(s), {counts.errors} with an error, {counts.cut} cut to "
          f"{args.max_chars} characters", file=sys.stderr)
    return 1 if counts.errors else 0


def cmd_policy(args: argparse.Namespace) -> int:
    from core.db.connection import transaction
    from privacy.policy import DEFAULT_POLICY_PATH
    from privacy.policy_history import history, policy_text

    if args.action == "show" and not args.version:
        print(DEFAULT_POLICY_PATH.read_text(encoding="utf-8"), end="")
        return 0
    with prepared_connection(get_settings()) as conn, transaction(conn) as cur:
        if args.action == "show":
            text = policy_text(cur, args.version)
            if text is None:
                print(f"no stored policy {args.version}", file=sys.stderr)
                return 1
            print(text, end="")
        else:
            for record in history(cur):
                print(f"{record.version}\t{record.first_used_at:%Y-%m-%d %H:%M}\t{record.sha256}")
    return 0


def _datetime(value: str) -> datetime:
    return datetime.fromisoformat(value)


def cmd_audit(args: argparse.Namespace) -> int:
    from core import audit
    from core.audit import AuditQuery, search
    from core.db.connection import transaction
    from governance.dpo.audit_search import write_csv

    query = AuditQuery(actor=args.actor_filter, action=args.action, object_type=args.object_type,
                       since=args.since, until=args.until, limit=args.limit)
    with prepared_connection(get_settings()) as conn, transaction(conn) as cur:
        events = search(cur, query)
        audit.record(cur, actor=args.actor, role="dpo", action="audit.export" if args.csv else "audit.search",
                     details={"results": len(events), "csv": bool(args.csv)})
    if args.csv:
        with open(args.csv, "w", encoding="utf-8", newline="") as handle:
            write_csv(events, handle)
        print(f"wrote {len(events)} event(s) to {args.csv}")
    else:
        write_csv(events, sys.stdout)
    return 0


def cmd_inventory(args: argparse.Namespace) -> int:
    from core.db.connection import transaction
    from governance.dpo.inventory import format_inventory, inventory

    with prepared_connection(get_settings()) as conn, transaction(conn) as cur:
        print(format_inventory(inventory(cur)))
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from core import audit
    from core.db.connection import transaction
    from governance.dpo.dpia import dpia_report

    with prepared_connection(get_settings()) as conn, transaction(conn) as cur:
        text = dpia_report(get_settings(), cur)
        audit.record(cur, actor=args.actor, role="dpo", action="report.dpia")
    if args.output == "-":
        print(text, end="")
    else:
        Path(args.output).write_text(text, encoding="utf-8")
        print(f"wrote {args.output}")
    return 0


def cmd_erase(args: argparse.Namespace) -> int:
    import json

    from app import components
    from governance.erasure import erase_author

    with prepared_connection(get_settings()) as conn:
        result = erase_author(conn, source=args.source, username=args.username,
                              pseudonymizer=components.pseudonymizer(get_settings()), actor=args.actor, role="dpo")
    print(json.dumps({"request_id": result.request_id, "posts_removed": result.posts_removed,
                      "suggestions_removed": result.suggestions_removed, "keys_checked": result.keys_checked}))
    return 0


def cmd_rotate_encryption(args: argparse.Namespace) -> int:
    from app import components
    from privacy.key_rotation import rotate_stored_text

    with prepared_connection(get_settings()) as conn:
        rows = rotate_stored_text(conn, components.cipher(get_settings()), actor=args.actor, role="dpo")
    print(f"re-encrypted {rows} row(s) under the current MAJAKKA_ENCRYPTION_KEY")
    return 0


def cmd_refilter(args: argparse.Namespace) -> int:
    import json

    from app import runners

    report = runners.run(lambda settings, conn: runners.refilter(settings, conn, actor=args.actor, role="dpo"))
    print(json.dumps(report.counts()))
    return 1 if report.failed else 0


def register(add: Callable[[str, Callable[[argparse.Namespace], int], str], argparse.ArgumentParser]) -> None:
    """Add the DPO commands to the main parser through its ``add`` helper."""
    redact = add("redact", cmd_redact, 'Redaction test bench: JSONL {"id","text"} in, redactions and spans out.')
    redact.add_argument("input", nargs="?", default="-", help="JSONL file (default: stdin)")
    redact.add_argument("-o", "--output", default="-", help="output JSONL file (default: stdout)")
    redact.add_argument("--lang", choices=("auto", "fi", "sv"), default="auto", help="language rules to apply")
    redact.add_argument("--max-chars", type=int, default=DEFAULT_MAX_POST_CHARS,
                        help="characters of a text read before it is cut, head and tail kept "
                             f"(default {DEFAULT_MAX_POST_CHARS})")

    policy = add("policy", cmd_policy, "Show the active filter policy, a stored version, or the version history.")
    policy.add_argument("action", choices=("show", "history"))
    policy.add_argument("--version", help="a stored version to show (default: the active file)")

    audit = add("audit", cmd_audit, "Search the audit log; prints CSV, or writes it with --csv (audited).")
    audit.add_argument("--actor-filter", help="only events by this actor")
    audit.add_argument("--action", help="action prefix, e.g. 'queue.' or 'erasure.request'")
    audit.add_argument("--object-type", help="e.g. suggestion, source, model")
    audit.add_argument("--since", type=_datetime, help="ISO date/time, inclusive")
    audit.add_argument("--until", type=_datetime, help="ISO date/time, exclusive")
    audit.add_argument("--limit", type=int, default=1000)
    audit.add_argument("--csv", help="write CSV to this file")
    audit.add_argument("--actor", default="dpo-cli", help="who is searching, for the audit log")

    add("inventory", cmd_inventory, "Rows, ages and purge backlog per table.")

    report = add("dpia-report", cmd_report, "Records-of-processing / DPIA support report (Markdown) from live config.")
    report.add_argument("-o", "--output", default="-", help="file to write (default: stdout)")
    report.add_argument("--actor", default="dpo-cli", help="who generates it, for the audit log")

    erase = add("erase", cmd_erase, "Erasure request: delete everything stored about a username (audited, "
                                    "without the username).")
    erase.add_argument("--username", required=True, help="u/NAME, @NAME or NAME")
    erase.add_argument("--source", default="reddit")
    erase.add_argument("--actor", required=True, help="who handles the request, for the audit log")

    refilter = add("refilter", cmd_refilter, "Run the current privacy filter over stored text an older filter "
                                             "version redacted; prints rows checked and changed, entities removed "
                                             "per type (audited).")
    refilter.add_argument("--actor", required=True, help="who runs it, for the audit log")

    rotate = add("rotate-encryption", cmd_rotate_encryption,
                 "Re-encrypt stored text under MAJAKKA_ENCRYPTION_KEY (old keys in MAJAKKA_ENCRYPTION_PREVIOUS_KEYS).")
    rotate.add_argument("--actor", required=True, help="who rotates, for the audit log")
