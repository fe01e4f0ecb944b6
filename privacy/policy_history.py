"""The history of filter policies, kept verbatim in PostgreSQL.

Each stored row names the policy version that redacted it; this table maps that name to
the exact YAML. Recording refuses a policy whose content changed while its version did
not, because then one version name would stand for two different sets of rules.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from core.db.connection import Cursor
from privacy.policy import DEFAULT_POLICY_PATH, parse_policy


class PolicyChangedError(RuntimeError):
    """The policy file changed without a new version."""


@dataclass(frozen=True)
class PolicyRecord:
    version: str
    sha256: str
    first_used_at: datetime


def record_policy(cur: Cursor, path: Path = DEFAULT_POLICY_PATH) -> PolicyRecord:
    """Store the policy at ``path`` if its version is new; verify it if not."""
    import yaml

    text = path.read_text(encoding="utf-8")
    version = parse_policy(yaml.safe_load(text), path.name).version
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    cur.execute(
        "INSERT INTO filter_policies (version, sha256, policy_text) VALUES (%s, %s, %s) "
        "ON CONFLICT (version) DO NOTHING",
        (version, digest, text),
    )
    cur.execute("SELECT version, sha256, first_used_at FROM filter_policies WHERE version = %s", (version,))
    row = cur.fetchone()
    if row["sha256"] != digest:
        raise PolicyChangedError(
            f"{path.name} changed but its version is still {version}: bump the version before running"
        )
    return PolicyRecord(row["version"], row["sha256"], row["first_used_at"])


def history(cur: Cursor) -> list[PolicyRecord]:
    cur.execute("SELECT version, sha256, first_used_at FROM filter_policies ORDER BY first_used_at")
    return [PolicyRecord(r["version"], r["sha256"], r["first_used_at"]) for r in cur.fetchall()]


def policy_text(cur: Cursor, version: str) -> str | None:
    cur.execute("SELECT policy_text FROM filter_policies WHERE version = %s", (version,))
    row = cur.fetchone()
    return row["policy_text"] if row else None


def latest_policy_version(cur: Cursor) -> str | None:
    """The policy version used most recently (``None`` before the first collection)."""
    cur.execute("SELECT version FROM filter_policies ORDER BY first_used_at DESC LIMIT 1")
    row = cur.fetchone()
    return row["version"] if row else None
