"""Two-factor sign-in with time-based one-time codes (TOTP, RFC 6238; any authenticator app).

Required for the roles that oversee others or hold the keys to accounts (supervisors, DPOs,
administrators), optional for everyone else. The shared secret is stored encrypted with the
text key and shown to its owner only while enrolling. A code is accepted for the current
30-second step or one step either side (clock drift), and never twice: the last accepted step
is kept, so an observed code cannot be replayed.
"""

from __future__ import annotations

import hmac
import time

import pyotp
import segno

from core import audit
from core.db.connection import Cursor
from privacy.encryption import TextCipher

#: Roles that must sign in with a second factor.
REQUIRED_ROLES = ("supervisor", "dpo", "admin")
ISSUER = "Majakka"
STEP_SECONDS = 30
#: Steps either side of now that are accepted (a phone clock a little off).
DRIFT_STEPS = 1


class TwoFactorError(ValueError):
    """Enrolment or verification refused; the message says why."""


def required_for(role: str) -> bool:
    return role in REQUIRED_ROLES


def current_step(now: float | None = None) -> int:
    return int((time.time() if now is None else now) // STEP_SECONDS)


def code_at(secret: str, step: int) -> str:
    """The code of ``step`` for ``secret`` (what an authenticator app shows during that step)."""
    return pyotp.TOTP(secret).generate_otp(step)


def start_enrolment(cur: Cursor, user_id: int, cipher: TextCipher) -> str:
    """A new secret for the person to add to their app; active only once a code from it is confirmed."""
    cur.execute("SELECT totp_enabled_at FROM users WHERE id = %s", (user_id,))
    row = cur.fetchone()
    if row is None:
        raise TwoFactorError("no such user")
    if row["totp_enabled_at"] is not None:
        raise TwoFactorError("two-factor sign-in is already on")
    secret = pyotp.random_base32()
    cur.execute("UPDATE users SET totp_secret_encrypted = %s WHERE id = %s", (cipher.encrypt(secret), user_id))
    return secret


def pending_secret(cur: Cursor, user_id: int, cipher: TextCipher) -> str | None:
    """The secret being enrolled (not yet confirmed), to show again on the enrolment page."""
    cur.execute("SELECT totp_secret_encrypted FROM users WHERE id = %s AND totp_enabled_at IS NULL", (user_id,))
    row = cur.fetchone()
    return cipher.decrypt(bytes(row["totp_secret_encrypted"])) if row and row["totp_secret_encrypted"] else None


def provisioning_uri(secret: str, username: str, organisation: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=username, issuer_name=f"{ISSUER} ({organisation})")


def qr_svg(uri: str) -> str:
    """The enrolment URI as an inline SVG QR code (for the phone's camera; the secret is shown as text too)."""
    return segno.make(uri, error="m").svg_inline(scale=4, border=2)


def _matching_step(secret: str, code: str, last_step: int | None, now: float | None) -> int | None:
    code = "".join(ch for ch in code if ch.isdigit())
    if len(code) != 6:
        return None
    step = current_step(now)
    for candidate in range(step - DRIFT_STEPS, step + DRIFT_STEPS + 1):
        if (last_step is None or candidate > last_step) and hmac.compare_digest(code_at(secret, candidate), code):
            return candidate
    return None


def confirm_enrolment(cur: Cursor, user_id: int, code: str, cipher: TextCipher, *, actor: str, role: str,
                      now: float | None = None) -> None:
    """Turn two-factor sign-in on once a code from the new secret proves the app has it (audited)."""
    secret = pending_secret(cur, user_id, cipher)
    if secret is None:
        raise TwoFactorError("start enrolling first")
    step = _matching_step(secret, code, None, now)
    if step is None:
        raise TwoFactorError("that code does not match; check the phone's clock and try the newest code")
    cur.execute("UPDATE users SET totp_enabled_at = now(), totp_last_step = %s WHERE id = %s", (step, user_id))
    audit.record(cur, actor=actor, role=role, action="user.two_factor_on", object_type="user", object_id=str(user_id))


def enrol_with_secret(cur: Cursor, user_id: int, secret: str, cipher: TextCipher) -> None:
    """Turn two-factor sign-in on with a known secret (the demo prints it beside the password)."""
    cur.execute("""UPDATE users SET totp_secret_encrypted = %s, totp_enabled_at = now(), totp_last_step = NULL
                   WHERE id = %s""", (cipher.encrypt(secret), user_id))


def verify(cur: Cursor, user_id: int, code: str, cipher: TextCipher, *, now: float | None = None) -> bool:
    """Whether ``code`` is a fresh, correct code of the person's enabled secret (and use it up)."""
    cur.execute("""SELECT totp_secret_encrypted, totp_last_step FROM users
                   WHERE id = %s AND totp_enabled_at IS NOT NULL FOR UPDATE""", (user_id,))
    row = cur.fetchone()
    if row is None:
        return False
    step = _matching_step(cipher.decrypt(bytes(row["totp_secret_encrypted"])), code, row["totp_last_step"], now)
    if step is None:
        return False
    cur.execute("UPDATE users SET totp_last_step = %s WHERE id = %s", (step, user_id))
    return True


def forget(cur: Cursor, user_id: int) -> None:
    """Remove the secret; the caller audits why (a password reset, or the person's own choice)."""
    cur.execute("""UPDATE users SET totp_secret_encrypted = NULL, totp_enabled_at = NULL, totp_last_step = NULL
                   WHERE id = %s""", (user_id,))


def turn_off(cur: Cursor, user_id: int, *, actor: str, role: str) -> None:
    """An optional user turns two-factor sign-in off (audited)."""
    forget(cur, user_id)
    audit.record(cur, actor=actor, role=role, action="user.two_factor_off", object_type="user", object_id=str(user_id))
