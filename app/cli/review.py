"""Commands for the review web app: ``serve`` and account management."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from collections.abc import Callable

from core.config import get_settings

PASSWORD_ENV = "MAJAKKA_NEW_PASSWORD"


def cmd_serve(args: argparse.Namespace) -> int:
    from app.review.server import serve

    serve(get_settings(), host=args.host, port=args.port)
    return 0


def cmd_user_create(args: argparse.Namespace) -> int:
    from app.runners import prepared_connection
    from app.staff import accounts
    from core.db.connection import transaction

    password = os.environ.get(PASSWORD_ENV) or getpass.getpass("Initial password (12+ characters): ")
    with prepared_connection(get_settings()) as conn:
        try:
            with transaction(conn) as cur:
                team_id = (accounts.ensure_team(cur, args.team, args.capacity, partner=args.partner)
                           if args.team else None)
                user = accounts.create(cur, username=args.username, display_name=args.name or args.username,
                                       role=args.role, password=password, team_id=team_id,
                                       ui_language=args.language, partner=args.partner, actor=args.actor,
                                       actor_role="cli")
        except accounts.AccountError as error:
            print(f"user-create refused: {error}", file=sys.stderr)
            return 1
    print(f"created {user.username} ({user.role})")
    return 0


def cmd_demo_accounts(_: argparse.Namespace) -> int:
    from app.review.server import demo_accounts, demo_second_factors
    from app.runners import prepared_connection

    settings = get_settings()
    with prepared_connection(settings) as conn:
        people = demo_accounts(conn)
        keys = demo_second_factors(conn, settings, [(username, role) for username, role, _ in people])
        for username, role, password in people:
            print(f"{role:<12} {username:<8} {password}  {keys.get(username, '')}".rstrip())
    return 0


def register(add: Callable[[str, Callable[[argparse.Namespace], int], str], argparse.ArgumentParser]) -> None:
    serve = add("serve", cmd_serve, "Run the counsellor review web app.")
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    create = add("user-create", cmd_user_create,
                 f"Create a staff account (password from ${PASSWORD_ENV} or a prompt).")
    create.add_argument("--username", required=True)
    create.add_argument("--role", required=True, choices=("counsellor", "supervisor", "dpo", "ml_engineer", "admin"))
    create.add_argument("--name", help="display name (default: the username)")
    create.add_argument("--team", help="team name (created if missing)")
    create.add_argument("--capacity", type=int, default=40, help="daily capacity of a new team (default 40)")
    create.add_argument("--language", default="fi", choices=("fi", "sv", "en"), help="interface language")
    create.add_argument("--partner", default="default", help="the partner whose queue the person works (see `partner`)")
    create.add_argument("--actor", default="cli", help="who creates the account, for the audit log")
    add("demo-accounts", cmd_demo_accounts,
        "Create or reset the demo accounts and print their new passwords (and overseers' authenticator keys) once.")
