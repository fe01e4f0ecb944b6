"""SQL has owners: each table is written by the module of the stage that owns it, and routes run no SQL.

Reads may join tables of earlier stages (a queue list shows the post's community); a change to a
table, though, goes through its owner's functions, so that one module holds the rules of each table.
The table below is the one in docs/architecture.md.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("core", "collect", "privacy", "governance", "models", "outreach", "quality", "app", "dags", "benchmarks")

OWNERS: dict[str, set[str]] = {
    "schema_migrations": {"core/db/migrate.py"},
    "audit_log": {"core/audit.py"},
    "source_cursors": {"collect/cursors.py"},
    "posts": {"privacy/posts.py"},
    "filter_policies": {"privacy/policy_history.py"},
    "communities": {"governance/consent.py"},
    "consent_records": {"governance/consent.py"},
    "opt_outs": {"governance/opt_out.py"},
    "partners": {"governance/partners.py"},
    "privacy_cases": {"governance/privacy_cases.py"},
    "partner_communities": {"governance/partners.py"},
    "scores": {"models/serving/scores.py"},
    "shadow_scores": {"models/serving/scores.py"},
    "model_versions": {"models/lifecycle/registry.py"},
    "model_evaluations": {"models/lifecycle/registry.py"},
    "score_references": {"quality/drift.py"},
    "quality_checks": {"quality/results.py"},
    # created and superseded by the enqueuer, claimed and decided by counsellors
    "suggestions": {"outreach/queue.py", "outreach/workflow.py"},
    "suggestion_notes": {"outreach/notes.py"},
    "second_looks": {"outreach/second_look.py"},
    "daily_reports": {"outreach/daily_report.py"},
    "notifications": {"outreach/notifications.py"},
    "service_directories": {"outreach/directory.py"},
    "users": {"app/staff/accounts.py", "app/staff/two_factor.py"},
    "teams": {"app/staff/accounts.py"},
    "web_sessions": {"app/staff/sessions.py"},
    "login_failures": {"app/staff/sessions.py"},
    "sign_in_clients": {"app/staff/sessions.py"},
}

WRITE = re.compile(r"\b(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM|TRUNCATE(?:\s+TABLE)?)\s+([a-z_]+)\b")
MIGRATIONS = ROOT / "core" / "db" / "migrations"


def _sources() -> list[Path]:
    return [path for package in PACKAGES for path in sorted((ROOT / package).rglob("*.py"))]


def test_every_write_goes_through_the_tables_owner() -> None:
    strays = []
    for path in _sources():
        relative = path.relative_to(ROOT).as_posix()
        for table in WRITE.findall(path.read_text(encoding="utf-8")):
            if table in OWNERS and relative not in OWNERS[table]:
                strays.append(f"{relative} writes {table}")
    assert strays == []


def test_every_table_has_an_owner() -> None:
    created = set()
    for migration in MIGRATIONS.glob("*.sql"):
        created |= set(re.findall(r"CREATE TABLE (?:IF NOT EXISTS )?([a-z_]+)", migration.read_text()))
    assert created - {"schema_migrations"} <= set(OWNERS)


def test_routes_run_no_sql() -> None:
    """Routes call service functions; the queries live with the tables' owners."""
    with_sql = [path.name for path in sorted((ROOT / "app" / "review" / "routes").glob("*.py"))
                if ".execute(" in path.read_text(encoding="utf-8")]
    assert with_sql == []
