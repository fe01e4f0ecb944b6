"""Staff accounts: Argon2 password hashes, roles, teams, and per-person preferences.

Passwords are only ever stored as Argon2id hashes (argon2-cffi's defaults follow the
RFC 9106 recommendation); a hash made with older parameters is upgraded at the next login.
"""

from __future__ import annotations

import re
import secrets
import unicodedata
from dataclasses import dataclass
from datetime import datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from app.staff import sessions, two_factor
from core import audit
from core.db.connection import Cursor
from governance.partners import DEFAULT_PARTNER, PartnerError, Scope, scope_of

ROLES = ("counsellor", "supervisor", "dpo", "ml_engineer", "admin")
#: Roles that read post text (the queue's policy): granting one takes a second person's approval.
TEXT_READING_ROLES = ("counsellor", "supervisor")
#: Roles whose approval a text-reading role needs (never the person who asked for it).
APPROVER_ROLES = ("admin", "dpo")
UI_LANGUAGES = ("fi", "sv", "en")
#: Time zones a reviewer can read times in (the partners' countries).
TIME_ZONES = ("Europe/Helsinki", "Europe/Stockholm")
MIN_PASSWORD_CHARS = 12
#: ASCII only: look-alike letters from other scripts ("аino" with a Cyrillic a) cannot pose as a colleague
#: in the audit log.
USERNAME = re.compile(r"[a-z0-9][a-z0-9._-]{1,63}")

#: SQL: no access request waits on the account (it was decided, withdrawn or superseded).
_NO_REQUEST = "pending_role = NULL, pending_requested_by = NULL, pending_since = NULL"

_hasher = PasswordHasher()
#: Verifying against this keeps a login for an unknown username as slow as for a known one.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))


@dataclass(frozen=True)
class User:
    id: int
    username: str
    display_name: str
    role: str
    team_id: int | None
    ui_language: str
    blur_text: bool
    active: bool
    #: whose queue this person works: their partner's, and the national queue if the partner shares it
    scope: Scope
    #: the time zone this person reads every time in
    time_zone: str = "Europe/Helsinki"
    #: an administrator set a temporary password: every page leads to changing it first
    must_change_password: bool = False
    last_sign_in_at: datetime | None = None
    #: signs in with a one-time code as well (``app.staff.two_factor``)
    two_factor: bool = False


class AccountError(ValueError):
    """A request to create or change an account that the rules refuse; the message says why."""


_COLUMNS = ("id, username, display_name, role::text AS role, team_id, ui_language, blur_text, active, partner, "
            "time_zone, must_change_password, last_sign_in_at, totp_enabled_at IS NOT NULL AS two_factor, "
            "(SELECT shares_national FROM partners WHERE slug = users.partner) AS shares_national")


def _user(row: dict) -> User:
    return User(int(row["id"]), row["username"], row["display_name"], row["role"], row["team_id"],
                row["ui_language"], bool(row["blur_text"]), bool(row["active"]),
                Scope(row["partner"], bool(row["shares_national"])), row["time_zone"],
                bool(row["must_change_password"]), row["last_sign_in_at"], bool(row["two_factor"]))


def get(cur: Cursor, user_id: int) -> User | None:
    cur.execute(f"SELECT {_COLUMNS} FROM users WHERE id = %s AND active", (user_id,))
    row = cur.fetchone()
    return None if row is None else _user(row)


def get_any(cur: Cursor, user_id: int) -> User | None:
    """The account whether or not it is active (an administrator's view)."""
    cur.execute(f"SELECT {_COLUMNS} FROM users WHERE id = %s", (user_id,))
    row = cur.fetchone()
    return None if row is None else _user(row)


def list_users(cur: Cursor, *, roles: tuple[str, ...] = ROLES, active_only: bool = True,
               partner: str | None = None) -> list[User]:
    """Accounts with ``roles``, of ``partner``'s staff only when it is given (None: every partner's)."""
    cur.execute(f"""SELECT {_COLUMNS} FROM users WHERE role::text = ANY(%s) AND (active OR NOT %s)
                    AND (%s::text IS NULL OR partner = %s) ORDER BY username""",
                (list(roles), active_only, partner, partner))
    return [_user(r) for r in cur.fetchall()]


def normalise_username(name: str) -> str:
    """The one spelling of a login name: compatibility forms folded (NFKC: a fullwidth 'ａ' is 'a'),
    case folded, control and format characters (a NUL, a zero-width space) dropped."""
    folded = unicodedata.normalize("NFKC", name).casefold()
    return "".join(ch for ch in folded if ch.isprintable() and unicodedata.category(ch) != "Cf").strip()[:64]


def authenticate(cur: Cursor, username: str, password: str) -> User | None:
    """The active user with this username and password, else ``None`` (same cost either way)."""
    cur.execute(f"SELECT {_COLUMNS}, password_hash FROM users WHERE username = %s AND active", (username,))
    row = cur.fetchone()
    stored = row["password_hash"] if row and row["password_hash"] else _DUMMY_HASH
    try:
        _hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return None
    if row is None or not row["password_hash"]:
        return None
    if _hasher.check_needs_rehash(stored):
        cur.execute("UPDATE users SET password_hash = %s WHERE id = %s", (_hasher.hash(password), row["id"]))
    return _user(row)


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_CHARS:
        raise AccountError(f"a password needs at least {MIN_PASSWORD_CHARS} characters")


def create(cur: Cursor, *, username: str, display_name: str, role: str, password: str, team_id: int | None,
           ui_language: str = "fi", partner: str = DEFAULT_PARTNER, actor: str, actor_role: str,
           second_person: bool = False) -> User:
    """Create an account (audited); the username is the login name, not a real name, by convention.

    With ``second_person`` (the app's admin pages), an account with a text-reading role is created
    inactive, waiting for :func:`approve` by someone else; the terminal's bootstrap commands create
    accounts directly (whoever runs them already holds the database and its keys).
    """
    waits = second_person and role in TEXT_READING_ROLES
    username = normalise_username(username)
    if not USERNAME.fullmatch(username):
        raise AccountError("a username is 2-64 characters: a-z, digits, '.', '-' and '_', starting with a letter "
                           "or digit")
    if role not in ROLES:
        raise AccountError(f"unknown role {role!r}")
    if ui_language not in UI_LANGUAGES:
        raise AccountError(f"unknown interface language {ui_language!r}")
    _check_password(password)
    cur.execute("SELECT 1 FROM users WHERE username = %s", (username,))
    if cur.fetchone() is not None:
        raise AccountError(f"the username {username!r} is taken")
    _check_partner(cur, partner)
    _check_team(cur, team_id, partner)
    cur.execute(
        f"""INSERT INTO users (username, display_name, role, password_hash, team_id, ui_language, partner, time_zone,
                               active, pending_role, pending_requested_by, pending_since)
            VALUES (%(username)s, %(name)s, %(role)s, %(hash)s, %(team)s, %(lang)s, %(partner)s,
                    CASE (SELECT country FROM partners WHERE slug = %(partner)s) WHEN 'SE' THEN 'Europe/Stockholm'
                         ELSE 'Europe/Helsinki' END,
                    NOT %(waits)s, CASE WHEN %(waits)s THEN %(role)s::user_role END,
                    CASE WHEN %(waits)s THEN %(actor)s END, CASE WHEN %(waits)s THEN now() END)
            RETURNING {_COLUMNS}""",
        {"username": username, "name": display_name.strip() or username, "role": role,
         "hash": _hasher.hash(password), "team": team_id, "lang": ui_language, "partner": partner, "waits": waits,
         "actor": actor},
    )
    user = _user(cur.fetchone())
    audit.record(cur, actor=actor, role=actor_role, action="user.create", object_type="user",
                 object_id=str(user.id), details={"role": role, "team_id": team_id, "partner": partner,
                                                  "waits_for_approval": waits})
    return user


def update(cur: Cursor, user_id: int, *, role: str, team_id: int | None, active: bool, actor: str,
           actor_role: str, partner: str | None = None, second_person: bool = False) -> bool:
    """Change an account; with ``partner``, only an account of that partner's staff exists for the caller.

    With ``second_person``, a change that would give the account access to post text (a text-reading
    role, newly or again active) is not applied but requested: the team changes, the role and status
    wait for :func:`approve`. Returns whether the change waits. Any other change withdraws a waiting
    request (the latest decision stands).
    """
    if role not in ROLES:
        raise AccountError(f"unknown role {role!r}")
    cur.execute("SELECT partner, role::text AS role, active FROM users WHERE id = %s "
                "AND (%s::text IS NULL OR partner = %s)", (user_id, partner, partner))
    row = cur.fetchone()
    if row is None:
        raise AccountError("no such user")
    _check_team(cur, team_id, row["partner"])
    reads_now = row["active"] and row["role"] in TEXT_READING_ROLES
    gains_text = active and role in TEXT_READING_ROLES and (not reads_now or row["role"] != role)
    if second_person and gains_text:
        cur.execute("""UPDATE users SET team_id = %s, pending_role = %s, pending_requested_by = %s,
                           pending_since = now() WHERE id = %s""", (team_id, role, actor, user_id))
        audit.record(cur, actor=actor, role=actor_role, action="user.access_requested", object_type="user",
                     object_id=str(user_id), details={"role": role, "team_id": team_id})
        return True
    cur.execute(f"UPDATE users SET role = %s, team_id = %s, active = %s, {_NO_REQUEST} WHERE id = %s",
                (role, team_id, active, user_id))
    if not active:
        sessions.end_all(cur, user_id)
    audit.record(cur, actor=actor, role=actor_role, action="user.update", object_type="user",
                 object_id=str(user_id), details={"role": role, "team_id": team_id, "active": active})
    return False


@dataclass(frozen=True)
class AccessRequest:
    """An account waiting for a second person's approval of a text-reading role."""

    user_id: int
    username: str
    display_name: str
    current_role: str
    active: bool
    requested_role: str
    requested_by: str
    since: datetime


def waiting_requests(cur: Cursor, *, partner: str | None = None, user_id: int | None = None) -> list[AccessRequest]:
    """Accounts waiting for approval, oldest first (``partner``: that partner's staff only; ``user_id``: that one)."""
    cur.execute("""SELECT id, username, display_name, role::text AS role, active, pending_role::text AS pending_role,
                          pending_requested_by, pending_since FROM users
                   WHERE pending_role IS NOT NULL AND (%(p)s::text IS NULL OR partner = %(p)s)
                     AND (%(u)s::bigint IS NULL OR id = %(u)s) ORDER BY pending_since""",
                {"p": partner, "u": user_id})
    return [AccessRequest(r["id"], r["username"], r["display_name"], r["role"], r["active"], r["pending_role"],
                          r["pending_requested_by"], r["pending_since"]) for r in cur.fetchall()]


def approve(cur: Cursor, user_id: int, *, actor: str, actor_role: str, partner: str | None = None) -> str:
    """Grant a waiting request (audited): the account gets its requested role and is active. The person
    who asked, and the account's own holder, cannot approve it. Returns the role granted."""
    request = _waiting(cur, user_id, partner)
    if actor_role not in APPROVER_ROLES:
        raise AccountError("only an administrator or a data-protection officer approves access")
    if actor in (request.requested_by, request.username):
        raise AccountError("a second person must approve this: you asked for it, or it is your own account")
    cur.execute(f"UPDATE users SET role = pending_role, active = true, {_NO_REQUEST} "
                "WHERE id = %s AND pending_role IS NOT NULL", (user_id,))
    if cur.rowcount == 0:  # someone else decided it a moment ago
        raise AccountError("no request is waiting for that account")
    audit.record(cur, actor=actor, role=actor_role, action="user.access_approved", object_type="user",
                 object_id=str(user_id), details={"role": request.requested_role,
                                                  "requested_by": request.requested_by})
    return request.requested_role


def refuse(cur: Cursor, user_id: int, *, actor: str, actor_role: str, partner: str | None = None) -> None:
    """Turn a waiting request down (audited); the account keeps its role and status as they were."""
    request = _waiting(cur, user_id, partner)
    cur.execute(f"UPDATE users SET {_NO_REQUEST} WHERE id = %s", (user_id,))
    audit.record(cur, actor=actor, role=actor_role, action="user.access_refused", object_type="user",
                 object_id=str(user_id), details={"role": request.requested_role,
                                                  "requested_by": request.requested_by})


def _waiting(cur: Cursor, user_id: int, partner: str | None) -> AccessRequest:
    found = waiting_requests(cur, partner=partner, user_id=user_id)
    if not found:
        raise AccountError("no request is waiting for that account")
    return found[0]


def set_password(cur: Cursor, user_id: int, password: str, *, actor: str, actor_role: str,
                 temporary: bool = False) -> None:
    """Set a new password and end the user's sessions; a ``temporary`` one must be changed at the next sign-in."""
    _check_password(password)
    cur.execute("UPDATE users SET password_hash = %s, must_change_password = %s WHERE id = %s",
                (_hasher.hash(password), temporary, user_id))
    sessions.end_all(cur, user_id)
    audit.record(cur, actor=actor, role=actor_role, action="user.password_set", object_type="user",
                 object_id=str(user_id), details={"temporary": temporary})


def reset_password(cur: Cursor, user_id: int, *, actor: str, actor_role: str, partner: str | None = None) -> str:
    """A temporary password for ``user_id`` (returned once, to hand over in person); it must be changed at the
    next sign-in, and a second factor enrolled again. With ``partner``, only that partner's staff can be reset."""
    cur.execute("SELECT 1 FROM users WHERE id = %s AND (%s::text IS NULL OR partner = %s)", (user_id, partner, partner))
    if cur.fetchone() is None:
        raise AccountError("no such user")
    temporary = secrets.token_urlsafe(12)
    set_password(cur, user_id, temporary, actor=actor, actor_role=actor_role, temporary=True)
    # Whoever lost their password has often lost their phone too: they enrol a new one at the next sign-in.
    two_factor.forget(cur, user_id)
    return temporary


def change_own_password(cur: Cursor, user: User, *, current: str, new: str) -> None:
    """A person changes their own password (the current one is checked; other sessions end)."""
    cur.execute("SELECT password_hash FROM users WHERE id = %s", (user.id,))
    try:
        _hasher.verify(cur.fetchone()["password_hash"], current)
    except (VerificationError, InvalidHashError):
        raise AccountError("the current password is wrong") from None
    if new == current:
        raise AccountError("the new password must differ from the current one")
    set_password(cur, user.id, new, actor=user.username, actor_role=user.role)


def record_sign_in(cur: Cursor, user_id: int) -> None:
    cur.execute("UPDATE users SET last_sign_in_at = now() WHERE id = %s", (user_id,))


def set_preferences(cur: Cursor, user: User, *, ui_language: str, blur_text: bool, time_zone: str | None = None
                    ) -> None:
    """A person's own interface language, text blurring and time zone (audited)."""
    time_zone = time_zone or user.time_zone
    if ui_language not in UI_LANGUAGES:
        raise AccountError(f"unknown interface language {ui_language!r}")
    if time_zone not in TIME_ZONES:
        raise AccountError(f"unknown time zone {time_zone!r}")
    cur.execute("UPDATE users SET ui_language = %s, blur_text = %s, time_zone = %s WHERE id = %s",
                (ui_language, blur_text, time_zone, user.id))
    audit.record(cur, actor=user.username, role=user.role, action="user.preferences", object_type="user",
                 object_id=str(user.id), details={"ui_language": ui_language, "blur_text": blur_text,
                                                  "time_zone": time_zone})


def ensure_team(cur: Cursor, name: str, daily_capacity: int, *, partner: str = DEFAULT_PARTNER) -> int:
    """The id of team ``name``, created with ``daily_capacity`` on ``partner``'s staff if missing."""
    _check_partner(cur, partner)
    cur.execute(
        """INSERT INTO teams (name, daily_capacity, partner) VALUES (%s, %s, %s)
           ON CONFLICT (name) DO UPDATE SET name = EXCLUDED.name RETURNING id""",
        (name, daily_capacity, partner),
    )
    return int(cur.fetchone()["id"])


def create_team(cur: Cursor, name: str, daily_capacity: int, *, partner: str, actor: str, actor_role: str) -> int:
    """A new team on ``partner``'s staff (audited); refused if the name is taken."""
    name = name.strip()
    if not name:
        raise AccountError("a team needs a name")
    if not 1 <= daily_capacity <= 10000:
        raise AccountError("a daily capacity is 1-10000 items")
    cur.execute("SELECT 1 FROM teams WHERE name = %s", (name,))
    if cur.fetchone() is not None:
        raise AccountError(f"the team name {name!r} is taken")
    team_id = ensure_team(cur, name, daily_capacity, partner=partner)
    audit.record(cur, actor=actor, role=actor_role, action="team.create", object_type="team", object_id=str(team_id),
                 details={"daily_capacity": daily_capacity, "partner": partner})
    return team_id


def _check_team(cur: Cursor, team_id: int | None, partner: str) -> None:
    """A person joins only an existing team of their own partner."""
    if team_id is None:
        return
    cur.execute("SELECT 1 FROM teams WHERE id = %s AND partner = %s", (team_id, partner))
    if cur.fetchone() is None:
        raise AccountError("no such team")


def _check_partner(cur: Cursor, partner: str) -> None:
    try:
        scope_of(cur, partner)
    except PartnerError as error:
        raise AccountError(str(error)) from None


def set_team_capacity(cur: Cursor, team_id: int, daily_capacity: int, *, actor: str, actor_role: str,
                      partner: str | None = None) -> None:
    """Set a team's daily capacity (audited); a team that does not exist, or is another partner's, is refused."""
    if not 1 <= daily_capacity <= 10000:
        raise AccountError("a daily capacity is 1-10000 items")
    cur.execute("UPDATE teams SET daily_capacity = %s WHERE id = %s AND (%s::text IS NULL OR partner = %s)",
                (daily_capacity, team_id, partner, partner))
    if cur.rowcount != 1:
        raise AccountError("no such team")
    audit.record(cur, actor=actor, role=actor_role, action="team.capacity", object_type="team",
                 object_id=str(team_id), details={"daily_capacity": daily_capacity})


def set_team_on_call(cur: Cursor, team_id: int, *, service_hours: str, on_call_email: str, actor: str,
                     actor_role: str, partner: str | None = None) -> None:
    """A team's service hours (shown on /about) and on-call address (crisis alerts when nobody is signed in)."""
    service_hours, on_call_email = service_hours.strip(), on_call_email.strip()
    if len(service_hours) > 200:
        raise AccountError("service hours are at most 200 characters")
    if on_call_email and (on_call_email.count("@") != 1 or any(c.isspace() for c in on_call_email)):
        raise AccountError("an on-call address is an e-mail address")
    cur.execute("UPDATE teams SET service_hours = %s, on_call_email = %s WHERE id = %s "
                "AND (%s::text IS NULL OR partner = %s)",
                (service_hours or None, on_call_email or None, team_id, partner, partner))
    if cur.rowcount != 1:
        raise AccountError("no such team")
    audit.record(cur, actor=actor, role=actor_role, action="team.on_call", object_type="team", object_id=str(team_id),
                 details={"service_hours": service_hours, "on_call_set": bool(on_call_email)})


def staffed_hours(cur: Cursor) -> list[dict]:
    """Each active partner's teams with their stated service hours (the public /about page)."""
    cur.execute("""SELECT p.name AS partner, t.name AS team, t.service_hours FROM teams t
                   JOIN partners p ON p.slug = t.partner
                   WHERE p.offboarded_at IS NULL AND t.service_hours IS NOT NULL ORDER BY p.name, t.name""")
    return [dict(r) for r in cur.fetchall()]


def find_id(cur: Cursor, username: str) -> int | None:
    """The account id of ``username`` (any state), or ``None``."""
    cur.execute("SELECT id FROM users WHERE username = %s", (username,))
    row = cur.fetchone()
    return int(row["id"]) if row else None


def teams(cur: Cursor, partner: str | None = None) -> list[dict]:
    """Teams, of ``partner`` only when it is given (None: every partner's)."""
    cur.execute("SELECT id, name, daily_capacity, partner, service_hours, on_call_email FROM teams "
                "WHERE %s::text IS NULL OR partner = %s "
                "ORDER BY name", (partner, partner))
    return [dict(r) for r in cur.fetchall()]
