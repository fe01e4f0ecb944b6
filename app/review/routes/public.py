"""Public pages, no sign-in: the transparency page and the opt-out form.

The transparency page is generated on every request from the live configuration and the
database (consenting communities, retention, cool-down, filter and model versions), so it
cannot drift from what the system does. The opt-out form records a request for the DPO holding
only keyed pseudonyms (``governance.privacy_cases``); nothing is deleted until ownership is shown.
"""

from __future__ import annotations

import hmac
import secrets
from datetime import date

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import RedirectResponse, Response

from app import components
from app.review import clock, reddit_identity
from app.review.i18n import LANGUAGES
from app.review.privacy_requests import open_request
from app.review.web import (
    DbConnection,
    PublicVisitor,
    public_form_ok,
    public_form_token,
    remember_language,
    render,
    settings_of,
)
from app.staff import accounts
from core.audit import DEFAULT_AUDIT_RETENTION_DAYS
from core.db.connection import transaction
from governance import consent, opt_out, partners
from governance.privacy_cases import CaseError
from models.lifecycle import registry
from privacy.policy import load_policy

router = APIRouter()
OPT_OUT_ACTOR = "public:opt-out"


@router.get("/about", summary="What Majakka does and does not do (public, generated from the live configuration)")
def about(request: Request, conn: DbConnection, _: PublicVisitor, lang: str | None = None) -> Response:
    settings = settings_of(request)
    with transaction(conn) as cur:
        communities = [s for s in consent.statuses(cur) if s.collectable]
        members = [p for p in partners.partners(cur) if p.active and p.slug != partners.DEFAULT_PARTNER]
        hours = accounts.staffed_hours(cur)
    active = registry.active(conn)
    response = render(request, "about.html", language=lang if lang in LANGUAGES else None, communities=communities,
                      retention_days=settings.retention_days, cooldown_days=settings.cooldown_days,
                      audit_days=DEFAULT_AUDIT_RETENTION_DAYS, filter_version=load_policy().version,
                      model_version=active.version if active else "lexicon baseline",
                      dpo_contact=settings.dpo_contact, counsellor_daily_limit=settings.counsellor_daily_limit,
                      first_stage=settings.first_stage, partners=members, staffed_hours=hours,
                      controller=settings.controller)
    remember_language(response, request, lang)
    return response


def _opt_out_page(request: Request, *, done: bool = False, error: str | None = None, status_code: int = 200,
                  lang: str | None = None, reference: str | None = None, due_on: date | None = None,
                  verified: bool = False) -> Response:
    token = secrets.token_urlsafe(24)
    response = render(request, "opt_out.html", status_code=status_code, form_token=token, done=done, error=error,
                      reference=reference, due_on=due_on, verified=verified,
                      language=lang if lang in LANGUAGES else None, dpo_contact=settings_of(request).dpo_contact)
    public_form_token(response, request, token)
    remember_language(response, request, lang)
    return response


@router.get("/opt-out", summary="Opt-out form (public)")
def opt_out_page(request: Request, _: PublicVisitor, lang: str | None = None) -> Response:
    return _opt_out_page(request, lang=lang)


@router.post("/opt-out", summary="Ask to opt out by username (public): a case for the DPO, never a deletion by itself")
def opt_out_submit(request: Request, conn: DbConnection, _: PublicVisitor, username: str = Form(max_length=100),
                   form_token: str = Form("")) -> Response:
    # Anyone can type anyone's username: without proof of ownership, the request goes to the DPO as a
    # case and nothing is deleted, so a stranger cannot remove someone in crisis from outreach.
    if not public_form_ok(request, form_token):
        return _opt_out_page(request, error="expired", status_code=403)
    settings = settings_of(request)
    try:
        case = open_request(conn, settings, kind="opt_out", username=username,
                            received_on=clock.today(settings.timezone), actor=OPT_OUT_ACTOR,
                            role="public")
    except CaseError:
        return _opt_out_page(request, error="username", status_code=400)
    return _opt_out_page(request, done=True, reference=case.reference, due_on=case.due_on)


#: Holds the OAuth ``state`` between leaving for Reddit and coming back. SameSite=Lax, because the way
#: back is a top-level navigation from Reddit's site (a Strict cookie would not be sent).
OAUTH_STATE_COOKIE = "majakka_oauth_state"
OAUTH_STATE_MINUTES = 10
VERIFIED_ACTOR = "public:opt-out-verified"


@router.get("/opt-out/reddit", summary="Opt out by signing in with Reddit (proves the account is one's own)")
def opt_out_with_reddit(request: Request, _: PublicVisitor) -> Response:
    settings = settings_of(request)
    state = secrets.token_urlsafe(24)
    response = RedirectResponse(reddit_identity.authorize_url(settings, state=state), status_code=303)
    response.set_cookie(OAUTH_STATE_COOKIE, state, max_age=OAUTH_STATE_MINUTES * 60, httponly=True, samesite="lax",
                        secure=settings.web_cookie_secure, path="/opt-out/reddit")
    return response


@router.get(reddit_identity.CALLBACK_PATH, summary="Back from Reddit: the account is confirmed, the opt-out done")
def opt_out_reddit_callback(request: Request, conn: DbConnection, _: PublicVisitor, state: str = "",
                            code: str = Query("", max_length=500), error: str = Query("", max_length=100)
                            ) -> Response:
    settings = settings_of(request)
    expected = request.cookies.get(OAUTH_STATE_COOKIE, "")
    if not expected or not hmac.compare_digest(expected, state):
        response = _opt_out_page(request, error="expired", status_code=400)
    elif error or not code:
        response = _opt_out_page(request, error="declined")
    else:
        try:
            username = reddit_identity.confirmed_username(settings, code=code)
        except reddit_identity.IdentityError:
            response = _opt_out_page(request, error="reddit", status_code=502)
        else:
            opt_out.register(conn, source="reddit", username=username,
                             pseudonymizer=components.pseudonymizer(settings), actor=VERIFIED_ACTOR, role="public")
            response = _opt_out_page(request, done=True, verified=True)
    response.delete_cookie(OAUTH_STATE_COOKIE, path="/opt-out/reddit")
    return response
