"""A small JSON API over the same rules, for integrations and scripts (session cookie + CSRF header).

Lists carry no post text at all: text is only ever shown on the audited item page.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from app import components
from app.review.routes.queue import worker
from app.review.web import DbConnection, QueueWorker, SignedIn, settings_of
from core.db.connection import transaction
from outreach import workflow
from outreach.workflow import ActionRefusedError
from outreach.worklist import STATUS_FILTERS, WorklistFilter, overflow_size, split_by_capacity, team_capacity, worklist

router = APIRouter(prefix="/api")


@router.get("/me", summary="Who is signed in")
def me(viewer: SignedIn) -> dict:
    user = viewer.user
    return {"username": user.username, "display_name": user.display_name, "role": user.role,
            "team_id": user.team_id, "ui_language": user.ui_language, "partner": user.scope.partner}


@router.get("/queue", summary="Today's queue (no text): ids, levels, SLA")
def queue(request: Request, conn: DbConnection, viewer: QueueWorker, status: str = "open") -> dict:
    settings = settings_of(request)
    flt = WorklistFilter(status=status if status in STATUS_FILTERS else "open", scope=viewer.user.scope)
    with transaction(conn) as cur:
        capacity = team_capacity(cur, viewer.user.team_id, settings.timezone)
        today, _ = split_by_capacity(worklist(cur, flt), capacity)
        overflow = overflow_size(cur, capacity, viewer.user.scope) if flt.status == "open" else 0
    return {
        "capacity": {"daily": capacity.daily, "used": capacity.used},
        "items": [{"id": r.suggestion_id, "level": int(r.level), "confidence": round(r.confidence, 3),
                   "status": r.status, "language": r.language, "sla_due": r.sla_due.isoformat(),
                   "sla_breached": r.sla_breached} for r in today],
        "overflow": overflow,
    }


@router.post("/queue/claim-next", summary="Claim the next most urgent item")
def claim_next(request: Request, conn: DbConnection, viewer: QueueWorker) -> JSONResponse:
    policy = components.workflow_policy(settings_of(request))
    try:
        claimed = workflow.claim_next(conn, worker(viewer), policy)
    except ActionRefusedError as refused:
        return JSONResponse({"claimed": None, "refused": refused.reason}, status_code=409)
    return JSONResponse({"claimed": claimed})

