"""Running the review app: migrations first, then uvicorn, plus the demo's accounts.

Behind a reverse proxy that terminates TLS, keep ``MAJAKKA_WEB_COOKIE_SECURE`` true (the
default). The offline demo serves plain HTTP on 127.0.0.1 and turns it off for itself.
"""

from __future__ import annotations

import secrets

from app.runners import prepare_database
from app.staff import accounts
from core.config import Settings
from core.db.connection import Connection, transaction

DEMO_TEAM = "Demo team"
DEMO_TEAM_CAPACITY = 40
DEMO_ACCOUNTS = (
    ("aino", "Aino", "counsellor", "fi"),
    ("elsa", "Elsa", "counsellor", "sv"),
    ("sanna", "Sanna", "supervisor", "fi"),
    ("dpo", "Dana", "dpo", "en"),
    ("mlops", "Mikko", "ml_engineer", "en"),
    ("admin", "Aada", "admin", "en"),
)


def demo_accounts(conn: Connection) -> list[tuple[str, str, str]]:
    """Create (or reset) the demo accounts with fresh random passwords: (username, role, password).

    The passwords exist only in the returned list, for printing once; the database keeps hashes.
    """
    created = []
    with transaction(conn) as cur:
        team = accounts.ensure_team(cur, DEMO_TEAM, DEMO_TEAM_CAPACITY)
        for username, name, role, language in DEMO_ACCOUNTS:
            password = secrets.token_urlsafe(12)
            user_id = accounts.find_id(cur, username)
            if user_id is None:
                accounts.create(cur, username=username, display_name=name, role=role, password=password,
                                team_id=team if role in ("counsellor", "supervisor") else None, ui_language=language,
                                actor="demo", actor_role="system")
            else:
                accounts.set_password(cur, user_id, password, actor="demo", actor_role="system")
            created.append((username, role, password))
    return created


def demo_second_factors(conn: Connection, settings: Settings, people: list[tuple[str, str]]) -> dict[str, str]:
    """A fresh authenticator key for each demo account (username, role) whose role signs in with two factors;
    returns username -> key, printed once beside the password (the database keeps it encrypted)."""
    import pyotp

    from app import components
    from app.staff import two_factor

    keys = {}
    cipher = components.cipher(settings)
    with transaction(conn) as cur:
        for username, role in people:
            user_id = accounts.find_id(cur, username)
            if user_id is not None and two_factor.required_for(role):
                keys[username] = pyotp.random_base32()
                two_factor.enrol_with_secret(cur, user_id, keys[username], cipher)
    return keys


def serve(settings: Settings, *, host: str, port: int) -> None:
    import uvicorn

    from app.review.app import create_app

    prepare_database(settings)
    print(f"Review app on http://{host}:{port}/ (Ctrl-C to stop)", flush=True)
    # X-Forwarded-For is believed only from the proxies named in MAJAKKA_TRUSTED_PROXIES: from anyone
    # else it would let a client pick the address that login throttling and the audit log record.
    proxies = settings.trusted_proxies.strip()
    uvicorn.run(create_app(settings), host=host, port=port, log_level="warning", proxy_headers=bool(proxies),
                forwarded_allow_ips=proxies or None)
