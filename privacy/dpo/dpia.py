"""Records of processing / DPIA support report, generated from the live configuration.

Written from what the system is configured to do right now (sources, policy, keys,
retention, stored volumes), so the document cannot drift from the running system.
It supports a DPIA; the controller still owns the legal assessment.
"""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import urlsplit

from majakka.config import Settings
from majakka.store.audit import DEFAULT_AUDIT_RETENTION_DAYS
from privacy.dpo.inventory import format_inventory, inventory
from privacy.policy import load_policy
from privacy.policy_history import history
from privacy.pseudonym import key_id


def _database_location(settings: Settings) -> str:
    if not settings.database_url:
        return f"embedded PostgreSQL on this host ({settings.home / 'pgdata'})"
    parts = urlsplit(settings.database_url)
    return f"PostgreSQL at {parts.hostname or 'local socket'}{':' + str(parts.port) if parts.port else ''}"


def dpia_report(settings: Settings, cur) -> str:
    policy = load_policy()
    policies = history(cur)
    cur.execute("SELECT role::text AS role, count(*) AS n FROM users WHERE active GROUP BY role ORDER BY role")
    roles = {row["role"]: row["n"] for row in cur.fetchall()}
    entity_rows = "\n".join(f"| {name} | `{rule.placeholder}` | {rule.threshold} |"
                            for name, rule in sorted(policy.rules.items()))
    allowed = ", ".join(f"`{item}`" for item in policy.allow_list) or "none"
    policy_rows = "\n".join(f"| {p.version} | {p.first_used_at:%Y-%m-%d %H:%M} | `{p.sha256[:16]}` |"
                            for p in policies) or "| (none used yet) | | |"
    role_rows = "\n".join(f"| {role} | {n} |" for role, n in roles.items()) or "| (no accounts yet) | 0 |"
    return f"""# Records of processing and DPIA support: {settings.organisation_name}

Generated {datetime.now(UTC):%Y-%m-%d %H:%M} UTC from the live configuration of Majakka.
This report supports a data-protection impact assessment; the legal basis and the
assessment of necessity and proportionality remain the controller's to write.

## Purpose
Find public posts in Finnish and Swedish that show distress, so that a human counsellor
can decide whether to offer help by hand on the platform. Nothing is sent automatically;
no profile of any person is built; each post is assessed on its own.

## Sources
- Platform: Reddit, public subreddits: {", ".join(f"r/{name}" for name in settings.subreddits)}
- API endpoint: {settings.reddit_base_url or "Reddit's own API"}
- Items deleted or removed at the source are purged at the next deletion sync.

## Categories of data
| stored | form |
|---|---|
| post or comment text | redacted by the privacy filter, then encrypted (Fernet) |
| author | HMAC-SHA256 pseudonym; the username is never stored |
| language, community, permalink, timestamps | as is (permalinks without title words) |
| distress score, level, explanation | offsets and weights, no text |
| counsellor decisions and the audit log | ids and counts, no post text |

Special-category data (health, GDPR Art. 9) is assumed for every post. Posts in other
languages than Finnish and Swedish are dropped in memory and only counted.

## Privacy filter
Active policy: **{policy.version}**. Entities redacted before storage:

| entity | placeholder | score threshold |
|---|---|---|
{entity_rows}

Allow-list (kept verbatim, e.g. crisis lines): {allowed}

Policy versions that produced stored text:

| version | first used | sha256 |
|---|---|---|
{policy_rows}

## Pseudonymisation and encryption
- Pseudonym key id in use: `{key_id(settings.pseudonym_key.get_secret_value().encode())}`;
  retired keys kept for erasure: {len(settings.pseudonym_previous_keys)}
- Encryption: Fernet (AES-128-CBC + HMAC-SHA256); retired keys still accepted:
  {len(settings.encryption_previous_keys)}
- Database: {_database_location(settings)}

## Retention
| data | kept for |
|---|---|
| posts, scores, suggestions | {settings.retention_days} days from collection |
| audit log | {DEFAULT_AUDIT_RETENTION_DAYS} days |
| no second suggestion about one author | {settings.cooldown_days} days |

Current inventory:

```
{format_inventory(inventory(cur))}
```

## Recipients and access
Only signed-in staff see redacted text; every view is audited. Active accounts by role:

| role | accounts |
|---|---|
{role_rows}

Processors: the operator of the database host above and of the machine running the
pipeline. No data is sent to third parties; Reddit is a source, not a recipient.

## Data-subject rights
- Erasure by username: `majakka erase --username u/NAME` finds rows under every pseudonym
  key in the ring; the request is audited without the username.
- Deletion at the source is honoured by `majakka sync-deletions` (daily).

## Safeguards against misuse
A human always decides; the system drafts a message but has no way to send one. Scores
are development-grade and not a clinical assessment.
"""
