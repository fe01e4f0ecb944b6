"""Consent and opt-out commands: partner communities, consent records, opt-out requests."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from dataclasses import asdict
from datetime import date

from core.config import get_settings


def cmd_communities(_: argparse.Namespace) -> int:
    from app.runners import prepared_connection
    from core.db.connection import transaction
    from governance import consent

    configured = set(get_settings().subreddits)
    with prepared_connection(get_settings()) as conn, transaction(conn) as cur:
        statuses = consent.statuses(cur)
    print(f"{'community':<22} {'consent':<10} {'review due':<11} {'configured':<10} agreed by")
    for status in statuses:
        record = status.record
        print(f"r/{status.name:<20} {status.state:<10} {record.review_due.isoformat() if record else '-':<11} "
              f"{'yes' if status.name in configured else 'no':<10} {record.agreed_by if record else '-'}")
    missing = sorted(configured - {s.name for s in statuses})
    for name in missing:
        print(f"r/{name:<20} {'none':<10} {'-':<11} {'yes':<10} -")
    return 0


def cmd_consent_add(args: argparse.Namespace) -> int:
    from app.runners import prepared_connection
    from core.db.connection import transaction
    from governance import consent

    with prepared_connection(get_settings()) as conn:
        try:
            with transaction(conn) as cur:
                record_id = consent.record_consent(
                    cur, source="reddit", community=args.community, agreed_by=args.agreed_by,
                    agreed_on=args.agreed_on, scope=args.scope, review_due=args.review_due,
                    document_ref=args.document, actor=args.actor, role="cli", country=args.country)
        except consent.ConsentError as error:
            print(f"consent refused: {error}", file=sys.stderr)
            return 1
    print(json.dumps({"consent_record": record_id, "community": args.community}))
    return 0


def cmd_consent_withdraw(args: argparse.Namespace) -> int:
    from app.runners import prepared_connection
    from core.db.connection import transaction
    from governance import consent

    with prepared_connection(get_settings()) as conn, transaction(conn) as cur:
        withdrawn = consent.withdraw(cur, source="reddit", community=args.community, actor=args.actor, role="cli")
    print(json.dumps({"withdrawn_records": withdrawn, "community": args.community}))
    return 0


def cmd_opt_out(args: argparse.Namespace) -> int:
    from app import components
    from app.runners import prepared_connection
    from governance import opt_out

    settings = get_settings()
    with prepared_connection(settings) as conn:
        result = opt_out.register(conn, source="reddit", username=args.username,
                                  pseudonymizer=components.pseudonymizer(settings), actor=args.actor,
                                  role="counsellor")
    print(json.dumps({"request_id": result.request_id, "posts_removed": result.posts_removed,
                      "suggestions_removed": result.suggestions_removed}))
    return 0


def cmd_partner(args: argparse.Namespace) -> int:
    """``partner list|save|assign|release|offboard``: partners, and which partner's queue a community goes to."""
    from app.runners import prepared_connection
    from core.db.connection import transaction
    from governance import partners

    with prepared_connection(get_settings()) as conn:
        try:
            with transaction(conn) as cur:
                if args.action == "save":
                    partners.save_partner(cur, slug=args.slug, name=args.name or args.slug,
                                          service_name=args.service_name or args.name or args.slug,
                                          country=args.country, dpo_contact=args.dpo_contact or "",
                                          shares_national=not args.own_queue_only, actor=args.actor, role="admin")
                elif args.action == "assign":
                    partners.assign_community(cur, partner=args.slug, source="reddit", community=args.community,
                                              actor=args.actor, role="admin")
                elif args.action == "release":
                    partners.release_community(cur, source="reddit", community=args.community, actor=args.actor,
                                               role="admin")
            if args.action == "offboard":
                from outreach.offboarding import offboard

                report = offboard(conn, args.slug, close_open_items=args.close_open_items,
                                  purge_days=args.purge_days, actor=args.actor, role="admin")
                print(json.dumps(asdict(report)))
            with transaction(conn) as cur:
                listed = partners.partners(cur)
        except partners.PartnerError as error:
            print(f"partner {args.action} refused: {error}", file=sys.stderr)
            return 1
    for partner in listed:
        queues = ("national+own" if partner.shares_national else "own only") if partner.active else "left"
        print(f"{partner.slug:<16} {partner.country} {queues:<13}"
              f" {partner.service_name:<28} {', '.join(partner.communities) or '-'}")
    return 0


def register(add: Callable[[str, Callable[[argparse.Namespace], int], str], argparse.ArgumentParser]) -> None:
    add("communities", cmd_communities, "List partner communities, their consent state and review dates.")
    grant = add("consent-add", cmd_consent_add, "Record a community's consent (adds it to the allowlist; audited).")
    grant.add_argument("--community", required=True, help="subreddit name")
    grant.add_argument("--agreed-by", required=True, help="who agreed on the community's behalf, e.g. its moderators")
    grant.add_argument("--agreed-on", required=True, type=date.fromisoformat, help="YYYY-MM-DD")
    grant.add_argument("--scope", required=True, help="what was agreed, e.g. 'public posts and comments'")
    grant.add_argument("--review-due", required=True, type=date.fromisoformat, help="YYYY-MM-DD")
    grant.add_argument("--document", required=True, help="reference to the signed agreement or thread")
    grant.add_argument("--country", choices=("FI", "SE"),
                       help="where the community is (its posts get that country's services)")
    grant.add_argument("--actor", required=True, help="who records it, for the audit log")
    withdraw = add("consent-withdraw", cmd_consent_withdraw, "Withdraw a community's consent; collection stops.")
    withdraw.add_argument("--community", required=True)
    withdraw.add_argument("--actor", required=True)
    partner = add("partner", cmd_partner,
                  "Partners (municipalities, wellbeing regions): list, save SLUG (add or change), assign SLUG "
                  "--community C (its suggestions go to that partner's queue), release --community C (national), "
                  "offboard SLUG (stop its collection, hand back or close its open items, purge its data).")
    partner.add_argument("action", choices=("list", "save", "assign", "release", "offboard"))
    partner.add_argument("slug", nargs="?", default="default", help="partner id, e.g. vaasa")
    partner.add_argument("--name", help="the partner's name, e.g. 'Vaasan kaupunki - Vasa stad'")
    partner.add_argument("--service-name", help="the service its drafts are signed with")
    partner.add_argument("--country", choices=("FI", "SE"), default="FI")
    partner.add_argument("--dpo-contact", help="how the public reaches its data-protection officer")
    partner.add_argument("--own-queue-only", action="store_true",
                         help="its staff do not work the shared national queue")
    partner.add_argument("--community", help="subreddit name (assign, release)")
    partner.add_argument("--close-open-items", action="store_true",
                         help="offboard: close its open items (default: hand them back to the national queue)")
    partner.add_argument("--purge-days", type=int, default=30,
                         help="offboard: delete its communities' stored posts within this many days (default 30)")
    partner.add_argument("--actor", default="cli", help="who acts, for the audit log")
    optout = add("opt-out", cmd_opt_out,
                 "Register an opt-out request by username (purges stored posts; only pseudonyms are kept).")
    optout.add_argument("--username", required=True, help="e.g. u/NAME")
    optout.add_argument("--actor", required=True, help="the counsellor handling the request, for the audit log")
