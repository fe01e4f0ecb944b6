"""What a counsellor does with a suggestion: claim, reach out by hand, dismiss, escalate, relabel.

Every change runs in one transaction with its audit event (invariant 6), and locks the row
it changes, so two counsellors can never both hold or decide the same suggestion.
"Claim next" uses ``FOR UPDATE SKIP LOCKED``: concurrent claimers each get a different item
instead of waiting for or colliding on the same one.

Nothing here contacts anyone (invariant 4): "reached out" records what a human already did
on the platform.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from core import audit
from core.db.connection import Connection, Cursor, transaction
from governance import opt_out
from governance.partners import Scope
from models.lifecycle import labels
from outreach import notifications
from outreach.directory import OFFERED, every_service
from outreach.drafts import draft_message
from outreach.service_choice import fitting_services
from outreach.worklist import Capacity, any_available, lock_most_urgent, team_capacity
from privacy.encryption import TextCipher

OUTCOMES = ("replied", "accepted_help", "no_reply", "hostile")
#: Why a counsellor does not reach out: first the kinds of false alarm (they become training
#: labels, see ``models.lifecycle.labels``), then reasons that leave the risk standing.
DISMISS_REASONS = (*labels.FALSE_ALARM_REASONS, "already_in_care", "already_helped", "not_reachable", "other")
#: Levels whose dismissal needs the counsellor to confirm it (a second, deliberate step).
CONFIRM_DISMISS_FROM_LEVEL = 3
#: How long the person who decided can take a decision back.
UNDO_MINUTES = 10

ESCALATION_CHECKS = ("emergency_number_considered", "supervisor_informed", "platform_safety_report")
REQUIRED_ESCALATION_CHECKS = ("emergency_number_considered", "supervisor_informed")
#: What a supervisor did about an escalation they took on.
ESCALATION_OUTCOMES = ("emergency_services_contacted", "person_contacted", "platform_report_made",
                       "no_further_action")


@dataclass(frozen=True)
class Worker:
    """The signed-in person acting on the queue."""

    user_id: int
    username: str
    role: str
    team_id: int | None
    #: the partner whose queue this person works (None: every partner's, for system steps)
    scope: Scope | None = None


@dataclass(frozen=True)
class WorkflowPolicy:
    claim_minutes: int
    cooldown_days: int
    timezone: str
    counsellor_daily_limit: int = 15


class ActionRefusedError(Exception):
    """An action the rules do not allow; ``reason`` is a stable code the UI translates."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _audit(cur: Cursor, worker: Worker, action: str, suggestion_id: int, details: dict | None = None) -> None:
    audit.record(cur, actor=worker.username, role=worker.role, action=f"suggestion.{action}",
                 object_type="suggestion", object_id=str(suggestion_id), details=details)


def _take(cur: Cursor, worker: Worker, policy: WorkflowPolicy, suggestion_id: int, capacity: Capacity, level: int,
          first_claimed: bool) -> None:
    if level < 4 and capacity.exhausted and not first_claimed:
        raise ActionRefusedError("capacity_reached")
    cur.execute(
        """
        UPDATE suggestions SET status = 'claimed', claimed_by = %(user)s,
               claimed_until = now() + make_interval(mins => %(minutes)s),
               first_claimed_at = coalesce(first_claimed_at, now()),
               claimed_team_id = coalesce(claimed_team_id, %(team)s), updated_at = now()
        WHERE id = %(id)s
        """,
        {"user": worker.user_id, "minutes": policy.claim_minutes, "team": worker.team_id, "id": suggestion_id},
    )
    _audit(cur, worker, "claim", suggestion_id, {"level": level, "claim_minutes": policy.claim_minutes})


def claim_next(conn: Connection, worker: Worker, policy: WorkflowPolicy, *, language: str | None = None) -> int | None:
    """Claim the most urgent available suggestion; ``None`` when nothing is waiting.

    When the team's capacity for today is used up, only crisis items can still be claimed;
    if only non-crisis items are waiting, this raises ``ActionRefusedError("capacity_reached")``.
    """
    with transaction(conn) as cur:
        capacity = team_capacity(cur, worker.team_id, policy.timezone)
        crisis_only = capacity.exhausted
        row = lock_most_urgent(cur, language=language, crisis_only=crisis_only, scope=worker.scope)
        if row is None:
            if crisis_only and any_available(cur, language, worker.scope):
                raise ActionRefusedError("capacity_reached")
            return None
        _take(cur, worker, policy, row["id"], capacity, int(row["level"]), first_claimed=False)
        return int(row["id"])


def _lock(cur: Cursor, worker: Worker, suggestion_id: int) -> dict:
    """The suggestion, locked for an action; one outside the worker's partner scope does not exist for them."""
    cur.execute(
        """
        SELECT g.*, g.claimed_until < now() AS claim_expired FROM suggestions g
        WHERE g.id = %s FOR UPDATE
        """,
        (suggestion_id,),
    )
    row = cur.fetchone()
    if row is None or (worker.scope is not None and not worker.scope.covers(row["partner"])):
        raise ActionRefusedError("not_found")
    return row


def claim(conn: Connection, worker: Worker, policy: WorkflowPolicy, suggestion_id: int) -> None:
    """Claim one chosen suggestion (from the list), unless someone else holds it."""
    with transaction(conn) as cur:
        row = _lock(cur, worker, suggestion_id)
        if row["status"] == "claimed" and not row["claim_expired"] and row["claimed_by"] != worker.user_id:
            raise ActionRefusedError("claimed_by_other")
        if row["status"] not in ("new", "claimed"):
            raise ActionRefusedError("already_decided")
        capacity = team_capacity(cur, worker.team_id, policy.timezone)
        _take(cur, worker, policy, suggestion_id, capacity, int(row["level"]),
              first_claimed=row["first_claimed_at"] is not None)


def _held(cur: Cursor, worker: Worker, suggestion_id: int) -> dict:
    """The row, locked, if ``worker`` holds the claim (an expired claim nobody took over still counts)."""
    row = _lock(cur, worker, suggestion_id)
    if row["status"] in ("reached_out", "dismissed", "escalated"):
        raise ActionRefusedError("already_decided")
    if row["status"] != "claimed" or row["claimed_by"] != worker.user_id:
        raise ActionRefusedError("not_claimed")
    return row


def release(conn: Connection, worker: Worker, suggestion_id: int) -> None:
    """Give a claimed item back to the queue untouched."""
    with transaction(conn) as cur:
        _held(cur, worker, suggestion_id)
        cur.execute("UPDATE suggestions SET status = 'new', claimed_by = NULL, claimed_until = NULL, "
                    "updated_at = now() WHERE id = %s", (suggestion_id,))
        _audit(cur, worker, "release", suggestion_id)


def release_all(conn: Connection, worker: Worker) -> int:
    """Give back every item ``worker`` holds (signing out); returns how many."""
    with transaction(conn) as cur:
        cur.execute("UPDATE suggestions SET status = 'new', claimed_by = NULL, claimed_until = NULL, "
                    "updated_at = now() WHERE status = 'claimed' AND claimed_by = %s RETURNING id", (worker.user_id,))
        released = [int(r["id"]) for r in cur.fetchall()]
        for suggestion_id in released:
            _audit(cur, worker, "release", suggestion_id, {"signing_out": True})
    return len(released)


def _decide(cur: Cursor, worker: Worker, suggestion_id: int, status: str, **columns: object) -> None:
    assignments = "".join(f", {name} = %({name})s" for name in columns)
    cur.execute(
        f"""UPDATE suggestions SET status = %(status)s, decided_by = %(user)s, decided_at = now(),
                   claimed_until = NULL, updated_at = now(){assignments}
            WHERE id = %(id)s""",
        {"status": status, "user": worker.user_id, "id": suggestion_id, **columns},
    )


def reach_out(conn: Connection, worker: Worker, policy: WorkflowPolicy, suggestion_id: int, *,
              draft_edited: bool, offered_service: str | None = None, sent_message: bytes | None = None) -> None:
    """Record that the counsellor contacted the poster by hand on the platform, which of the item's
    matched services they offered (default: the first, the one the draft leads with), and the message
    as sent (``sent_message``: redacted and encrypted by :func:`outreach.sent_messages.seal`).

    Refused, with the reason audited, when the author opted out, when the counsellor has
    reached their daily limit, or when anyone on the team reached out to the same
    pseudonymous author within the cool-down window: nobody should receive two unsolicited
    messages, and nobody should send more than they can follow up.
    """
    with transaction(conn) as cur:
        row = _held(cur, worker, suggestion_id)
        referrable = referrable_services(cur, row["service_ids"])
        if offered_service and offered_service not in referrable:
            raise ActionRefusedError("invalid_choice")
        offered = offered_service or (referrable[0] if referrable else None)
        refusal = _outreach_refusal(cur, worker, policy, row)
        if refusal:
            _audit(cur, worker, "reach_out_refused", suggestion_id, {"reason": refusal})
        else:
            _decide(cur, worker, suggestion_id, "reached_out", offered_service=offered,
                    sent_message_encrypted=sent_message)
            _audit(cur, worker, "reached_out", suggestion_id, {"draft_edited": draft_edited,
                                                                "offered_service": offered})
    if refusal:
        raise ActionRefusedError(refusal)


def referrable_services(cur: Cursor, service_ids: list[str]) -> list[str]:
    """The item's services a person can be pointed to, in the draft's order: not the emergency number
    (the crisis draft always names it; pointing someone to a service is about what comes after)."""
    known = every_service(cur)
    return [i for i in service_ids if i in known and known[i].kind != "emergency"]


def offer_instead(conn: Connection, worker: Worker, cipher: TextCipher, suggestion_id: int, service_id: str, *,
                  organisation: str) -> None:
    """Rewrite the held item's draft to offer ``service_id`` first (one click on the item page).

    The service must fit the post now (:func:`outreach.service_choice.fitting_services`); an
    emergency number the crisis draft names stays, and the draft keeps one more fitting service.
    ``organisation`` signs the draft where the item belongs to no partner.
    """
    with transaction(conn) as cur:
        row = _held(cur, worker, suggestion_id)
        cur.execute("SELECT text_encrypted FROM posts WHERE id = %s", (row["post_id"],))
        text = cipher.decrypt(bytes(cur.fetchone()["text_encrypted"]))
        fit = fitting_services(cur, post_id=row["post_id"], language=row["language"], level=int(row["level"]),
                               text=text, when=datetime.now(UTC), limit=100)
        by_id = {option.service.id: option.service for option in fit.options}
        chosen = by_id.get(service_id)
        if chosen is None or chosen.kind == "emergency":
            raise ActionRefusedError("invalid_choice")
        known = every_service(cur)
        current = [known[i] for i in row["service_ids"] if i in known]
        emergency = [s for s in current if s.kind == "emergency"]
        others = [s for s in current if s.kind != "emergency" and s.id != chosen.id][:OFFERED - 1]
        services = [*emergency, chosen, *others]
        draft = draft_message(language=row["language"], level=int(row["level"]), services=services,
                              organisation=fit.origin.signature(organisation))
        cur.execute("UPDATE suggestions SET service_ids = %s, draft_message = %s, updated_at = now() WHERE id = %s",
                    ([s.id for s in services], draft, suggestion_id))
        _audit(cur, worker, "service_switched", suggestion_id,
               {"from": [s.id for s in current], "to": [s.id for s in services]})


def _outreach_refusal(cur: Cursor, worker: Worker, policy: WorkflowPolicy, row: dict) -> str | None:
    if opt_out.is_opted_out(cur, row["author_pseudonym"]):
        return "author_opted_out"
    cur.execute(
        """SELECT count(*) AS n FROM suggestions WHERE decided_by = %(user)s AND status = 'reached_out'
             AND decided_at >= date_trunc('day', now() AT TIME ZONE %(tz)s) AT TIME ZONE %(tz)s""",
        {"user": worker.user_id, "tz": policy.timezone},
    )
    if cur.fetchone()["n"] >= policy.counsellor_daily_limit:
        return "counsellor_daily_limit"
    cur.execute(
        """
        SELECT EXISTS (SELECT 1 FROM suggestions
                       WHERE author_pseudonym = %s AND id <> %s AND status IN ('reached_out', 'escalated')
                         AND decided_at > now() - make_interval(days => %s)) AS contacted
        """,
        (row["author_pseudonym"], row["id"], policy.cooldown_days),
    )
    return "author_contacted_recently" if cur.fetchone()["contacted"] else None


def record_outcome(conn: Connection, worker: Worker, suggestion_id: int, outcome: str,
                   taken_up: bool | None = None) -> None:
    """What happened after reaching out, and whether the person reported taking up the offered service
    (None: not known); the person who reached out (or a supervisor) records it."""
    if outcome not in OUTCOMES:
        raise ActionRefusedError("invalid_choice")
    with transaction(conn) as cur:
        row = _lock(cur, worker, suggestion_id)
        if row["status"] != "reached_out":
            raise ActionRefusedError("not_reached_out")
        if row["decided_by"] != worker.user_id and worker.role != "supervisor":
            raise ActionRefusedError("not_yours")
        cur.execute("UPDATE suggestions SET outcome = %s, service_taken_up = %s, updated_at = now() WHERE id = %s",
                    (outcome, taken_up, suggestion_id))
        _audit(cur, worker, "outcome", suggestion_id, {"outcome": outcome, "service_taken_up": taken_up})


def dismiss(conn: Connection, worker: Worker, suggestion_id: int, reason: str, *, confirmed: bool = False) -> None:
    """Decide not to reach out, with a reason chosen on purpose; a high or crisis item needs ``confirmed``."""
    if reason not in DISMISS_REASONS:
        raise ActionRefusedError("dismiss_reason_required")
    with transaction(conn) as cur:
        row = _held(cur, worker, suggestion_id)
        if int(row["level"]) >= CONFIRM_DISMISS_FROM_LEVEL and not confirmed:
            raise ActionRefusedError("dismiss_not_confirmed")
        _decide(cur, worker, suggestion_id, "dismissed", dismiss_reason=reason)
        _audit(cur, worker, "dismiss", suggestion_id, {"reason": reason, "confirmed": confirmed})


def can_undo(status: str, decided_by: int | None, decided_at: datetime | None, outcome: str | None,
             user_id: int) -> bool:
    """Whether ``user_id`` may still take this decision back (the page offers the button only then)."""
    return (status in ("reached_out", "dismissed", "escalated") and decided_by == user_id and outcome is None
            and decided_at is not None and datetime.now(UTC) - decided_at < timedelta(minutes=UNDO_MINUTES))


def undo(conn: Connection, worker: Worker, policy: WorkflowPolicy, suggestion_id: int) -> None:
    """Take back one's own decision within :data:`UNDO_MINUTES`: the item is claimed by them again,
    as it was before the decision (the decision and its undoing both stay in the audit log)."""
    with transaction(conn) as cur:
        row = _lock(cur, worker, suggestion_id)
        if row["status"] not in ("reached_out", "dismissed", "escalated") or row["decided_by"] != worker.user_id:
            raise ActionRefusedError("nothing_to_undo")
        cur.execute("SELECT decided_at > now() - make_interval(mins => %s) AS recent FROM suggestions WHERE id = %s",
                    (UNDO_MINUTES, suggestion_id))
        if not cur.fetchone()["recent"] or row["outcome"] is not None or row["escalation_assignee"] is not None:
            raise ActionRefusedError("undo_too_late")  # too old, followed up, or a supervisor already acts on it
        cur.execute(
            """UPDATE suggestions SET status = 'claimed', claimed_by = %s,
                      claimed_until = now() + make_interval(mins => %s), decided_by = NULL, decided_at = NULL,
                      dismiss_reason = NULL, offered_service = NULL, sent_message_encrypted = NULL, updated_at = now()
               WHERE id = %s""",
            (worker.user_id, policy.claim_minutes, suggestion_id))
        if row["status"] == "escalated":
            notifications.acknowledge_all(cur, suggestion_id, kind="escalation")  # nobody needs to act any more
        _audit(cur, worker, "undo", suggestion_id, {"undone": row["status"]})


def escalate(conn: Connection, worker: Worker, suggestion_id: int, checks: list[str]) -> int:
    """Hand a crisis on: the counsellor confirms the checklist items that cannot be skipped, and every
    active supervisor of the counsellor's partner is notified in the app until they acknowledge it.
    Returns how many supervisors were told."""
    unknown = set(checks) - set(ESCALATION_CHECKS)
    if unknown or not set(REQUIRED_ESCALATION_CHECKS) <= set(checks):
        raise ActionRefusedError("checklist_incomplete")
    with transaction(conn) as cur:
        row = _held(cur, worker, suggestion_id)
        _decide(cur, worker, suggestion_id, "escalated")
        cur.execute("SELECT id FROM users WHERE role = 'supervisor' AND active AND id <> %s "
                    "AND (%s::text IS NULL OR partner = %s) ORDER BY id",
                    (worker.user_id, *(2 * [worker.scope.partner if worker.scope else None])))
        supervisors = [int(r["id"]) for r in cur.fetchall()]
        told = notifications.notify(cur, supervisors, kind="escalation", suggestion_id=suggestion_id,
                                    details={"escalated_by": worker.username, "level": int(row["level"])})
        _audit(cur, worker, "escalate", suggestion_id, {"checks": sorted(checks), "supervisors_notified": told})
    return told


def take_escalation(conn: Connection, worker: Worker, suggestion_id: int) -> None:
    """A supervisor takes an escalation on: they are its assignee, and it is acknowledged."""
    with transaction(conn) as cur:
        row = _lock(cur, worker, suggestion_id)
        if row["status"] != "escalated":
            raise ActionRefusedError("not_escalated")
        cur.execute("UPDATE suggestions SET escalation_assignee = %s, escalation_acknowledged_at = "
                    "coalesce(escalation_acknowledged_at, now()), updated_at = now() WHERE id = %s",
                    (worker.user_id, suggestion_id))
        notifications.acknowledge_all(cur, suggestion_id, kind="escalation")
        _audit(cur, worker, "escalation_taken", suggestion_id)


def record_escalation_outcome(conn: Connection, worker: Worker, suggestion_id: int, outcome: str) -> None:
    """What the assignee did about an escalation."""
    if outcome not in ESCALATION_OUTCOMES:
        raise ActionRefusedError("invalid_choice")
    with transaction(conn) as cur:
        row = _lock(cur, worker, suggestion_id)
        if row["status"] != "escalated":
            raise ActionRefusedError("not_escalated")
        if row["escalation_assignee"] != worker.user_id:
            raise ActionRefusedError("not_yours")
        cur.execute("UPDATE suggestions SET escalation_outcome = %s, updated_at = now() WHERE id = %s",
                    (outcome, suggestion_id))
        _audit(cur, worker, "escalation_outcome", suggestion_id, {"outcome": outcome})


def relabel(conn: Connection, worker: Worker, suggestion_id: int, level: int) -> None:
    """Correct the model's level; the correction becomes a training label (issue 6's export)."""
    if level not in range(5):
        raise ActionRefusedError("invalid_choice")
    with transaction(conn) as cur:
        row = _lock(cur, worker, suggestion_id)
        involved = worker.user_id in (row["claimed_by"], row["decided_by"]) or worker.role == "supervisor"
        if not involved:
            raise ActionRefusedError("not_yours")
        cur.execute("UPDATE suggestions SET corrected_level = %s, corrected_by = %s, updated_at = now() "
                    "WHERE id = %s", (level, worker.user_id, suggestion_id))
        _audit(cur, worker, "relabel", suggestion_id, {"model_level": int(row["level"]), "corrected_level": level})


def close_partner_items(cur: Cursor, partner: str, *, actor: str, role: str) -> int:
    """Close a leaving partner's open items (dismissed, reason "other"; the audit says why); returns how many."""
    cur.execute("UPDATE suggestions SET status = 'dismissed', dismiss_reason = 'other', decided_at = now(), "
                "claimed_until = NULL, updated_at = now() "
                "WHERE partner = %s AND status IN ('new', 'claimed') RETURNING id", (partner,))
    closed = [row["id"] for row in cur.fetchall()]
    for suggestion_id in closed:
        audit.record(cur, actor=actor, role=role, action="suggestion.dismiss", object_type="suggestion",
                     object_id=str(suggestion_id), details={"reason": "other", "why": "partner off-boarded"})
    return len(closed)
