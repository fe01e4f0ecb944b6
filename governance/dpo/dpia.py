"""Records of processing / DPIA support report, generated from the live configuration.

Written from what the system is configured to do right now (sources, policy, keys,
retention, stored volumes), so the document cannot drift from the running system.
It supports a DPIA; the controller still owns the legal assessment.
"""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import urlsplit

from core.audit import DEFAULT_AUDIT_RETENTION_DAYS
from core.config import Settings
from core.db.connection import Cursor
from governance import consent, opt_out
from governance.dpo.inventory import format_inventory, inventory
from privacy.policy import load_policy
from privacy.policy_history import history
from privacy.pseudonym import key_id


def _database_location(settings: Settings) -> str:
    if not settings.database_url:
        return f"embedded PostgreSQL on this host ({settings.home / 'pgdata'})"
    parts = urlsplit(settings.database_url)
    return f"PostgreSQL at {parts.hostname or 'local socket'}{':' + str(parts.port) if parts.port else ''}"


def _consent_rows(cur: Cursor) -> str:
    rows = [f"| r/{s.name} | {s.state} | {s.record.agreed_by if s.record else '-'} | "
            f"{s.record.agreed_on if s.record else '-'} | {s.record.scope if s.record else '-'} | "
            f"{s.record.review_due if s.record else '-'} | {s.record.document_ref if s.record else '-'} |"
            for s in consent.statuses(cur)]
    return "\n".join(rows) or "| (no partner community recorded: nothing is collected) | | | | | | |"


def dpia_report(settings: Settings, cur: Cursor) -> str:
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

## Sources and consent
- Platform: Reddit. Configured subreddits: {", ".join(f"r/{name}" for name in settings.subreddits)}
- Only configured communities with a current consent record are collected; an expired or
  withdrawn record stops collection at the next run and raises an audit alert.
- API endpoint: {settings.reddit_base_url or "Reddit's own API"}
- Items deleted or removed at the source are purged at the next deletion sync.

| community | consent | agreed by | agreed on | scope | review due | document |
|---|---|---|---|---|---|---|
{_consent_rows(cur)}

## Opt-out
- Opt-out requests registered: {opt_out.count(cur)} (stored as keyed pseudonyms only, one per
  key in the ring; opted-out authors are dropped at collection, in memory, and anything stored
  about them was purged when they opted out).
- Public opt-out page: `/opt-out` of the review app; counsellors handling requests use
  `majakka opt-out --username u/NAME`.

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
{_minimisation(settings)}

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
| no second suggestion or outreach to one author | {settings.cooldown_days} days |
| counsellor notes | as long as their suggestion |
| web sessions | {settings.web_session_hours} h at most, {settings.web_idle_minutes} min idle |

Current inventory:

```
{format_inventory(inventory(cur))}
```

## Recipients and access
Only signed-in staff see redacted text; every view is audited. Active accounts by role:

| role | accounts |
|---|---|
{role_rows}

Recipients: the counsellors and supervisors of {settings.organisation_name} (redacted post text,
drafts, notes); the data-protection officer (audit log, inventory, no post text); ML engineers
(aggregate numbers and training labels from counsellor corrections); administrators (accounts).

Processors: the operator of the database host above and of the machines running the pipeline
and the review app. No data is sent to third parties; Reddit is a source, not a recipient.
Outreach limits: at most one outreach per author per {settings.cooldown_days} days across the team,
at most {settings.counsellor_daily_limit} outreach messages per counsellor per day, none to opted-out authors.

## Data-subject rights
- Erasure by username: `majakka erase --username u/NAME` finds rows under every pseudonym
  key in the ring; the request is audited without the username.
- Deletion at the source is honoured by `majakka sync-deletions` (daily).

## Safeguards against misuse
A human always decides; the system drafts a message but has no way to send one. Scores
are development-grade and not a clinical assessment.
"""


def _minimisation(settings: Settings) -> str:
    """What the cascade's first stage keeps out of storage (data minimisation, Art. 5(1)(c))."""
    if not settings.first_stage:
        return ("The cascade's first stage is turned off (`MAJAKKA_FIRST_STAGE=false`): every Finnish and "
                "Swedish post is filtered and stored.")
    return ("Most posts are never stored: the cascade's first stage (a linear model over character and word "
            "n-grams) clears posts that plainly cannot matter in memory, right after language ID and before "
            "the privacy filter, and only counts them. Kept anyway: replies in a thread that is kept, and the "
            f"second-look sample ({settings.second_look_rate:.1%} of cleared posts) that lets counsellors "
            "estimate what the cascade and the model miss.")
