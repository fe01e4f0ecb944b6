"""The counsellor's day: the queue, "next most urgent", the item page and its actions.

Every view of post text and every action writes an audit event. Actions redirect back to
the page with a short notice code (never text from the post) so a reload does not repeat them.
"""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import urlencode

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from app import components
from app.review.web import DbConnection, QueueWorker, Viewer, render, settings_of
from app.staff import accounts
from core import audit
from core.audit import AuditQuery
from core.db.connection import transaction
from outreach import drafts, notes, second_look, sent_messages, stats, workflow
from outreach.item_view import draft_of, load_item
from outreach.service_choice import fitting_services
from outreach.workflow import ActionRefusedError, Worker
from outreach.worklist import (
    FOLLOW_UP_HOURS,
    STATUS_FILTERS,
    WorklistFilter,
    follow_ups_due,
    overflow_size,
    split_by_capacity,
    team_capacity,
    worklist,
)

router = APIRouter()
LANGUAGE_FILTERS = ("fi", "sv")
#: Rows per queue page: what a counsellor can scan at once (and what keeps the page fast).
PAGE_SIZE = 50
#: Pages beyond this are refused as input (1,000 pages of 50 is far past any real queue's end).
MAX_PAGE = 1000


def worker(viewer: Viewer) -> Worker:
    user = viewer.user
    return Worker(user.id, user.username, user.role, user.team_id, user.scope)


def _back(path: str, **query: object) -> RedirectResponse:
    clean = {key: value for key, value in query.items() if value not in (None, "")}
    return RedirectResponse(f"{path}?{urlencode(clean)}" if clean else path, status_code=303)


def _filter(viewer: Viewer, language: str | None, level: str | None, status: str | None) -> WorklistFilter:
    return WorklistFilter(
        scope=viewer.user.scope,
        language=language if language in LANGUAGE_FILTERS else None,
        level=int(level) if level and level.isascii() and level.isdigit() and 2 <= int(level) <= 4 else None,
        status=status if status in STATUS_FILTERS else "open",
    )


@router.get("/queue", summary="The outreach queue, most urgent first, one page at a time")
def queue_page(request: Request, conn: DbConnection, viewer: QueueWorker, language: str | None = None,
               level: str | None = None, status: str | None = None, page: str | None = None,
               notice: str | None = None) -> Response:
    settings = settings_of(request)
    flt = _filter(viewer, language, level, status)
    number = int(page) if page and page.isascii() and page.isdigit() and 0 < int(page) <= MAX_PAGE else 1
    first = (number - 1) * PAGE_SIZE
    with transaction(conn) as cur:
        capacity = team_capacity(cur, viewer.user.team_id, settings.timezone)
        supervising = viewer.role == "supervisor"
        # The split is decided row by row in urgency order, so the rows up to the end of this page (one more
        # tells whether a next page exists; supervisors also see the first page of the overflow) suffice.
        rows = worklist(cur, flt, limit=first + PAGE_SIZE + 1 + (PAGE_SIZE if supervising else 0))
        today, overflow = split_by_capacity(rows, capacity) if flt.status == "open" else (rows, [])
        overflow_total = overflow_size(cur, capacity, viewer.user.scope) if supervising and overflow else len(overflow)
        mine = worklist(cur, WorklistFilter(status="claimed", held_by=viewer.user.id, scope=viewer.user.scope))
        requests = notes.open_requests(cur, viewer.user.id)
        personal = stats.personal_counts(cur, viewer.user.id, settings.timezone)
        follow_ups = follow_ups_due(cur, viewer.user.id)
    return render(request, "queue.html", follow_ups=follow_ups, follow_up_hours=FOLLOW_UP_HOURS,
                  rows=today[first:first + PAGE_SIZE], overflow=overflow[:PAGE_SIZE],
                  overflow_total=overflow_total, page=number, has_next=len(today) > first + PAGE_SIZE,
                  capacity=capacity, flt=flt, mine=mine, opinion_requests=requests, personal=personal,
                  notice=notice, show_overflow=supervising)


@router.post("/queue/claim-next", summary="Claim the next most urgent item")
def claim_next(request: Request, conn: DbConnection, viewer: QueueWorker, language: str = Form("")) -> Response:
    policy = components.workflow_policy(settings_of(request))
    try:
        claimed = workflow.claim_next(conn, worker(viewer), policy,
                                      language=language if language in LANGUAGE_FILTERS else None)
    except ActionRefusedError as refused:
        return _back("/queue", notice=refused.reason)
    if claimed is None:
        return _back("/queue", notice="queue_empty")
    return _back(f"/items/{claimed}")


@router.get("/items/{suggestion_id}", summary="One suggestion: explanation, draft, and the redacted text when shown "
                                            "(a view of the text is audited as such)")
def item_page(request: Request, suggestion_id: int, conn: DbConnection, viewer: QueueWorker,
              notice: str | None = None, tone: str | None = None, reveal: bool = False) -> Response:
    settings = settings_of(request)
    # Reading is logged as reading: with "hide post text" on, the page carries no post text until the
    # person asks for it (?reveal=1), and only that request is audited as a view of the post.
    shown = reveal or not viewer.user.blur_text
    cipher = components.cipher(settings)
    with transaction(conn) as cur:
        item = load_item(cur, cipher, suggestion_id, viewer.user.scope)
        if item is None:
            raise HTTPException(status_code=404, detail="not found")
        item_notes = notes.notes_for(cur, cipher, suggestion_id)
        colleagues = [u for u in accounts.list_users(cur, roles=("counsellor", "supervisor"))
                      if u.id != viewer.user.id and u.scope.partner == viewer.user.scope.partner]
        fit = fitting_services(cur, post_id=item.post_id, language=item.language, level=int(item.level),
                               text=item.text, when=datetime.now(UTC), in_draft=tuple(s.id for s in item.services))
        chosen_tone = tone if tone in drafts.TONES else drafts.TONES[0]
        draft = item.draft_message if chosen_tone == drafts.TONES[0] else drafts.draft_message(
            language=item.language, level=int(item.level), services=list(item.services), tone=chosen_tone,
            organisation=fit.origin.signature(settings.organisation_name))
        history = list(reversed(audit.search(cur, AuditQuery(action="suggestion.", object_type="suggestion",
                                                             object_id=str(suggestion_id), limit=100))))
        audit.record(cur, actor=viewer.actor, role=viewer.role, action="post.view" if shown else "item.open",
                     object_type="suggestion", object_id=str(suggestion_id),
                     details={"post_id": item.post_id, **({"revealed": True} if reveal else {})})
    held = item.status == "claimed" and item.claimed_by_id == viewer.user.id
    response = render(request, "item.html", item=item, notes=item_notes, colleagues=colleagues, notice=notice,
                      shown=shown,
                      fit=fit, history=history, draft=draft, tone=chosen_tone, tones=drafts.TONES,
                      held=held, can_record_outcome=item.status == "reached_out" and (
                          item.decided_by_id == viewer.user.id or viewer.role == "supervisor"),
                      outcomes=workflow.OUTCOMES, dismiss_reasons=workflow.DISMISS_REASONS,
                      confirm_dismiss_from=workflow.CONFIRM_DISMISS_FROM_LEVEL, undo_minutes=workflow.UNDO_MINUTES,
                      can_undo=workflow.can_undo(item.status, item.decided_by_id, item.decided_at, item.outcome,
                                                 viewer.user.id),
                      escalation_checks=workflow.ESCALATION_CHECKS,
                      required_checks=workflow.REQUIRED_ESCALATION_CHECKS)
    return response


def _act(suggestion_id: int, action) -> Response:
    """Run one workflow action and go back to the item with a notice saying how it went."""
    try:
        action()
    except ActionRefusedError as refused:
        return _back(f"/items/{suggestion_id}", notice=refused.reason)
    return _back(f"/items/{suggestion_id}", notice="saved")


@router.post("/items/{suggestion_id}/claim", summary="Claim this item")
def claim_item(request: Request, suggestion_id: int, conn: DbConnection, viewer: QueueWorker) -> Response:
    policy = components.workflow_policy(settings_of(request))
    return _act(suggestion_id, lambda: workflow.claim(conn, worker(viewer), policy, suggestion_id))


@router.post("/items/{suggestion_id}/release", summary="Give the item back to the queue")
def release_item(suggestion_id: int, conn: DbConnection, viewer: QueueWorker) -> Response:
    try:
        workflow.release(conn, worker(viewer), suggestion_id)
    except ActionRefusedError as refused:
        return _back(f"/items/{suggestion_id}", notice=refused.reason)
    return _back("/queue", notice="released")


@router.post("/items/{suggestion_id}/reach-out", summary="Record that you reached out by hand, with the message sent")
def reach_out(request: Request, suggestion_id: int, conn: DbConnection, viewer: QueueWorker,
              message: str = Form("", max_length=20_000), offered_service: str = Form("")) -> Response:
    settings = settings_of(request)
    policy = components.workflow_policy(settings)
    cipher = components.cipher(settings)
    with transaction(conn) as cur:
        found = draft_of(cur, suggestion_id, viewer.user.scope)
    if found is None:
        return _back(f"/items/{suggestion_id}", notice="not_found")
    language, draft = found
    try:
        sealed = sent_messages.seal(message, draft=draft, language=language,
                                    text_filter=components.message_filter(), cipher=cipher)
    except sent_messages.MessageTooLongError:
        return _back(f"/items/{suggestion_id}", notice="message_too_long")
    return _act(suggestion_id, lambda: workflow.reach_out(conn, worker(viewer), policy, suggestion_id,
                                                          draft_edited=sealed.edited, sent_message=sealed.encrypted,
                                                          offered_service=offered_service or None))


@router.post("/items/{suggestion_id}/undo", summary="Take back your own decision (for a few minutes after it)")
def undo(request: Request, suggestion_id: int, conn: DbConnection, viewer: QueueWorker) -> Response:
    policy = components.workflow_policy(settings_of(request))
    return _act(suggestion_id, lambda: workflow.undo(conn, worker(viewer), policy, suggestion_id))


@router.post("/items/{suggestion_id}/offer-service", summary="Rewrite the draft to offer another fitting service")
def offer_service(request: Request, suggestion_id: int, conn: DbConnection, viewer: QueueWorker,
                  service_id: str = Form(max_length=100)) -> Response:
    settings = settings_of(request)
    return _act(suggestion_id, lambda: workflow.offer_instead(
        conn, worker(viewer), components.cipher(settings), suggestion_id, service_id,
        organisation=settings.organisation_name))


@router.post("/items/{suggestion_id}/outcome", summary="Record what happened after reaching out")
def record_outcome(suggestion_id: int, conn: DbConnection, viewer: QueueWorker, outcome: str = Form(),
                   taken_up: str = Form("")) -> Response:
    answer = {"yes": True, "no": False}.get(taken_up)  # anything else: not known
    return _act(suggestion_id, lambda: workflow.record_outcome(conn, worker(viewer), suggestion_id, outcome, answer))


@router.post("/items/{suggestion_id}/dismiss", summary="Dismiss with a reason (high and crisis items: confirmed)")
def dismiss(suggestion_id: int, conn: DbConnection, viewer: QueueWorker, reason: str = Form(""),
            confirmed: bool = Form(False)) -> Response:
    return _act(suggestion_id, lambda: workflow.dismiss(conn, worker(viewer), suggestion_id, reason,
                                                        confirmed=confirmed))


@router.post("/items/{suggestion_id}/escalate", summary="Escalate a crisis after the checklist")
async def escalate(request: Request, suggestion_id: int, conn: DbConnection, viewer: QueueWorker) -> Response:
    checks = [str(value) for value in (await request.form()).getlist("checks")]
    return await run_in_threadpool(
        _act, suggestion_id, lambda: workflow.escalate(conn, worker(viewer), suggestion_id, checks))


@router.post("/items/{suggestion_id}/relabel", summary="Correct the level (becomes a training label)")
def relabel(suggestion_id: int, conn: DbConnection, viewer: QueueWorker, level: int = Form(ge=0, le=4)) -> Response:
    return _act(suggestion_id, lambda: workflow.relabel(conn, worker(viewer), suggestion_id, level))


@router.post("/items/{suggestion_id}/notes", summary="Add an internal note or ask a colleague")
def add_note(request: Request, suggestion_id: int, conn: DbConnection, viewer: QueueWorker,
             text: str = Form(max_length=4000), addressed_to: str = Form("")) -> Response:
    cipher = components.cipher(settings_of(request))
    colleague = int(addressed_to) if addressed_to.isascii() and addressed_to.isdigit() else None
    return _act(suggestion_id, lambda: notes.add_note(conn, cipher, worker(viewer), suggestion_id, text,
                                                      addressed_to=colleague))


@router.get("/second-look", summary="Posts the model did not queue, sampled for a counsellor's label (audited view)")
def second_look_page(request: Request, conn: DbConnection, viewer: QueueWorker, notice: str | None = None) -> Response:
    cipher = components.cipher(settings_of(request))
    with transaction(conn) as cur:
        items = second_look.waiting(cur, viewer.user.scope)
        texts = {item.id: cipher.decrypt(item.text_encrypted) for item in items}
        if items:
            audit.record(cur, actor=viewer.actor, role=viewer.role, action="second_look.view",
                         object_type="second_look", details={"items": [item.id for item in items]})
    return render(request, "second_look.html", items=items, texts=texts, notice=notice)


@router.post("/second-look/{item_id}", summary="Label one second-look post")
def label_second_look(item_id: int, conn: DbConnection, viewer: QueueWorker, level: int = Form(ge=0, le=4)
                      ) -> Response:
    with transaction(conn) as cur:
        if not second_look.record_label(cur, item_id, level, viewer.user.id, viewer.user.scope):
            return _back("/second-look", notice="not_found")
        audit.record(cur, actor=viewer.actor, role=viewer.role, action="second_look.label",
                     object_type="second_look", object_id=str(item_id), details={"level": level})
    return _back("/second-look", notice="saved")
