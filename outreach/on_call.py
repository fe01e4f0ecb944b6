"""Nobody on shift: a crisis item that arrives while nobody of a team is signed in reaches the
team's on-call address, so it does not wait unseen until morning.

The alert carries no post text and no detail of the person: only that an urgent item waits, and a
link that needs signing in. Each (item, team) is alerted once; a failed delivery is audited and
tried again on the next run. Teams without an on-call address get no alert (their /about entry
says when they are staffed and where to turn outside those hours).
"""

from __future__ import annotations

from dataclasses import dataclass

from core import audit
from core.config import Settings
from core.db.connection import Connection, Cursor, transaction
from core.mail import MailError, send_mail

ACTOR = "system:on-call"

SUBJECT = "Majakka: kiireellinen tapaus odottaa / ett brådskande ärende väntar / an urgent item is waiting"
BODY = """Kriisitason tapaus odottaa Majakassa, eikä tiimistä {team} ole ketään kirjautuneena.
Ett ärende på krisnivå väntar i Majakka och ingen i teamet {team} är inloggad.
A crisis item is waiting in Majakka and nobody of team {team} is signed in.

{link}

(Viestissä ei ole julkaisun tekstiä. / Meddelandet innehåller ingen text ur inlägget. /
This message carries no post text.)
"""


@dataclass(frozen=True)
class OnCallAlert:
    suggestion_id: int
    team_id: int
    team: str
    address: str


def unstaffed_crises(cur: Cursor, *, idle_minutes: int) -> list[OnCallAlert]:
    """Open crisis items, each with every team that should work it, has an on-call address, has
    nobody signed in (a live session seen within ``idle_minutes``), and was not yet alerted about it."""
    cur.execute(
        """
        SELECT g.id AS suggestion_id, t.id AS team_id, t.name, t.on_call_email
        FROM suggestions g JOIN posts p ON p.id = g.post_id
        JOIN teams t ON t.on_call_email IS NOT NULL
        JOIN partners pa ON pa.slug = t.partner AND pa.offboarded_at IS NULL
        WHERE g.level = 4 AND g.status IN ('new', 'claimed') AND p.quarantined_at IS NULL
          AND (g.status = 'new' OR g.claimed_until < now())
          AND (g.partner = t.partner OR (g.partner IS NULL AND pa.shares_national))
          AND NOT EXISTS (SELECT 1 FROM users u JOIN web_sessions w ON w.user_id = u.id
                          WHERE u.team_id = t.id AND u.active AND w.expires_at > now()
                            AND w.last_seen_at > now() - make_interval(mins => %(idle)s))
          AND NOT EXISTS (SELECT 1 FROM audit_log a WHERE a.action = 'oncall.alert'
                          AND a.object_id = g.id::text AND a.details ->> 'team_id' = t.id::text)
        ORDER BY g.id, t.id
        """,
        {"idle": idle_minutes},
    )
    return [OnCallAlert(int(r["suggestion_id"]), int(r["team_id"]), r["name"], r["on_call_email"])
            for r in cur.fetchall()]


def alert_on_call(settings: Settings, conn: Connection) -> dict[str, int]:
    """Send every due on-call alert; returns how many were sent and how many failed (both audited)."""
    with transaction(conn) as cur:
        due = unstaffed_crises(cur, idle_minutes=settings.web_idle_minutes)
    sent = failed = 0
    for alert in due:
        link = f"{settings.public_url.rstrip('/')}/items/{alert.suggestion_id}"
        details: dict = {"team_id": alert.team_id}
        if not settings.smtp_host:  # no channel configured: the alert is recorded once, for the supervisors
            action, details["delivered"] = "oncall.alert", False
        else:
            try:
                send_mail(settings, to=alert.address, subject=SUBJECT, body=BODY.format(team=alert.team, link=link))
                action, sent, details["delivered"] = "oncall.alert", sent + 1, True
            except MailError as error:
                action, failed = "oncall.alert_failed", failed + 1
                details["error"] = str(error)[:200]
        with transaction(conn) as cur:
            audit.record(cur, actor=ACTOR, role=audit.SYSTEM_ROLE, action=action, object_type="suggestion",
                         object_id=str(alert.suggestion_id), details=details)
    return {"on_call_alerts": sent, "on_call_failed": failed}
