"""The data-protection officer's views; each calls the same ``privacy`` functions as the DPO commands.

A DPO audits without reading posts: these pages show policies, counts, events and the
redaction test bench's *output*, never stored post text.
"""

from __future__ import annotations

import io
import json
from dataclasses import replace
from datetime import date, datetime
from urllib.parse import urlencode

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response

from app import components
from app.review import clock
from app.review.privacy_requests import open_request
from app.review.web import DbConnection, PrivacyOfficer, Viewer, render, settings_of
from core import audit
from core.audit import AuditQuery, actions, count, search
from core.db.connection import Connection, transaction
from governance import access_export, privacy_cases
from governance.dpo.audit_search import write_csv
from governance.dpo.inventory import inventory
from governance.dpo.test_bench import redact_lines
from governance.privacy_cases import CaseError
from outreach import notifications
from privacy import policy_history
from privacy.policy import DEFAULT_POLICY_PATH

router = APIRouter(prefix="/dpo")
BENCH_MAX_CHARS = 20_000
PAGE_EVENTS = 200


def _when(value: str | None) -> datetime | None:
    try:
        return datetime.fromisoformat(value) if value else None
    except ValueError:
        return None


def _query(viewer: Viewer, actor: str | None, action: str | None, object_type: str | None, since: str | None,
           until: str | None, limit: int, object_id: str | None = None) -> AuditQuery:
    return AuditQuery(actor=actor or None, action=action or None, object_type=object_type or None,
                      object_id=(object_id or "").strip() or None, since=_when(since), until=_when(until),
                      limit=limit, partner=viewer.user.scope.administered)


#: The DPO's own reading of the log: left out of searches unless asked for (they would fill the first page).
OWN_ACTIONS = ("audit.search", "audit.export")


@router.get("/audit", summary="Search the audit log, one page at a time, with the total")
def audit_page(request: Request, conn: DbConnection, viewer: PrivacyOfficer, actor: str | None = None,
               action: str | None = None, object_type: str | None = None, since: str | None = None,
               until: str | None = None, object_id: str | None = None, page: str | None = None,
               include_own: bool = False) -> Response:
    number = int(page) if page and page.isascii() and page.isdigit() and 0 < int(page) <= 10_000 else 1
    query = replace(_query(viewer, actor, action, object_type, since, until, PAGE_EVENTS, object_id),
                    offset=(number - 1) * PAGE_EVENTS, exclude_actions=() if include_own else OWN_ACTIONS)
    with transaction(conn) as cur:
        events = search(cur, query)
        total = count(cur, query)
        known_actions = actions(cur)
        audit.record(cur, actor=viewer.actor, role=viewer.role, action="audit.search",
                     details={"results": len(events), "total": total, "page": number, "csv": False})
    raw = {"actor": actor or "", "action": action or "", "object_type": object_type or "", "since": since or "",
           "until": until or "", "object_id": object_id or "", "include_own": include_own}
    return render(request, "dpo_audit.html", events=events, query=query, raw=raw, total=total, page=number,
                  pages=max(1, -(-total // PAGE_EVENTS)), known_actions=known_actions,
                  page_link=lambda n: "/dpo/audit?" + urlencode({**{k: v for k, v in raw.items() if v}, "page": n}))


@router.get("/audit.csv", summary="Export matching audit events as CSV (the export is audited)")
def audit_export(conn: DbConnection, viewer: PrivacyOfficer, actor: str | None = None, action: str | None = None,
                 object_type: str | None = None, since: str | None = None, until: str | None = None,
                 object_id: str | None = None) -> Response:
    with transaction(conn) as cur:
        events = search(cur, _query(viewer, actor, action, object_type, since, until, 100_000, object_id))
        audit.record(cur, actor=viewer.actor, role=viewer.role, action="audit.export",
                     details={"results": len(events), "csv": True})
    out = io.StringIO()
    write_csv(events, out)
    return Response(out.getvalue(), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="majakka-audit.csv"'})


@router.get("/policy", summary="The filter policy in force and its history")
def policy_page(request: Request, conn: DbConnection, viewer: PrivacyOfficer) -> Response:
    with transaction(conn) as cur:
        records = policy_history.history(cur)
        audit.record(cur, actor=viewer.actor, role=viewer.role, action="policy.view")
    return render(request, "dpo_policy.html", records=records,
                  current_text=DEFAULT_POLICY_PATH.read_text(encoding="utf-8"))


@router.get("/test-bench", summary="Redaction test bench")
def bench_page(request: Request, _: PrivacyOfficer) -> Response:
    return render(request, "dpo_bench.html", results=None)


@router.post("/test-bench", summary="Redact test sentences (the input is not echoed back)")
def bench_run(request: Request, conn: DbConnection, viewer: PrivacyOfficer,
              text: str = Form(max_length=BENCH_MAX_CHARS), language: str = Form("auto")) -> Response:
    import json

    typed = {str(number): line for number, line in enumerate(text.splitlines(), start=1) if line.strip()}
    lines = [json.dumps({"id": number, "text": line}) for number, line in typed.items()]
    lang = language if language in ("fi", "sv") else "auto"
    results = [json.loads(line) for line in redact_lines(lines, components.privacy_filter(), language=lang)]
    with transaction(conn) as cur:
        audit.record(cur, actor=viewer.actor, role=viewer.role, action="dpo.test_bench",
                     details={"lines": len(results), "entities": sum(len(r.get("entities", [])) for r in results)})
    # The DPO's own test input is shown beside its redaction in this one response only: never stored,
    # never logged, and not kept by the browser (no-store).
    response = render(request, "dpo_bench.html", results=results, typed=typed)
    response.headers["Cache-Control"] = "no-store"
    return response


@router.get("/inventory", summary="What is stored, how old, and when it is purged")
def inventory_page(request: Request, conn: DbConnection, viewer: PrivacyOfficer) -> Response:
    with transaction(conn) as cur:
        tables = inventory(cur, viewer.user.scope.administered)
        audit.record(cur, actor=viewer.actor, role=viewer.role, action="inventory.view")
    return render(request, "dpo_inventory.html", tables=tables,
                  retention_days=settings_of(request).retention_days)


def _today(request: Request) -> date:
    return clock.today(settings_of(request).timezone)


def _cases_page(request: Request, conn: Connection, *, error: str | None = None, status_code: int = 200,
                notice: str | None = None) -> Response:
    today = _today(request)
    with transaction(conn) as cur:
        cases = privacy_cases.listing(cur)
        soon = privacy_cases.due_soon(cur, today)
    return render(request, "dpo_cases.html", cases=cases, due_soon=soon, today=today, error=error,
                  kinds=privacy_cases.KINDS, notice=notice, status_code=status_code)


@router.get("/cases", summary="Data-subject requests (erasure, access, opt-out) as cases with deadlines")
def cases_page(request: Request, conn: DbConnection, viewer: PrivacyOfficer, notice: str | None = None) -> Response:
    return _cases_page(request, conn, notice=notice)


@router.post("/cases", summary="Record a request; nothing is deleted until the case is confirmed")
def open_case(request: Request, conn: DbConnection, viewer: PrivacyOfficer, kind: str = Form(""),
              username: str = Form("", max_length=100), received_on: str = Form("", max_length=10)) -> Response:
    try:
        received = date.fromisoformat(received_on) if received_on else _today(request)
        case = open_request(conn, settings_of(request), kind=kind, username=username, received_on=received,
                            actor=viewer.actor, role=viewer.role)
    except ValueError as error:  # CaseError is one; so is a malformed date
        return _cases_page(request, conn, error=str(error), status_code=400)
    return RedirectResponse(f"/dpo/cases/{case.id}", status_code=303)


def _case_page(request: Request, conn: Connection, case_id: int, *, error: str | None = None,
               status_code: int = 200) -> Response:
    with transaction(conn) as cur:
        case = privacy_cases.get(cur, case_id)
        counts = privacy_cases.stored_counts(cur, case_id) if case and case.status == "open" else {}
    if case is None:
        raise HTTPException(status_code=404, detail="no such case")
    return render(request, "dpo_case.html", case=case, counts=counts, today=_today(request), error=error,
                  status_code=status_code)


@router.get("/cases/{case_id}", summary="One request: what it would touch, and confirm or reject it")
def case_page(request: Request, case_id: int, conn: DbConnection, viewer: PrivacyOfficer) -> Response:
    return _case_page(request, conn, case_id)


@router.post("/cases/{case_id}/confirm", summary="Carry out an erasure or opt-out case (asks for confirmation)")
def confirm_case(request: Request, case_id: int, conn: DbConnection, viewer: PrivacyOfficer,
                 confirmed: str = Form("")) -> Response:
    if confirmed != "yes":
        return _case_page(request, conn, case_id, error="confirm", status_code=400)
    try:
        with transaction(conn) as cur:
            privacy_cases.confirm(cur, case_id, actor=viewer.actor, role=viewer.role)
            notifications.acknowledge_case(cur, case_id)
    except CaseError:
        return _case_page(request, conn, case_id, error="closed", status_code=409)
    return RedirectResponse(f"/dpo/cases/{case_id}", status_code=303)


@router.post("/cases/{case_id}/reject", summary="Close a case without acting on it, with the reason")
def reject_case(request: Request, case_id: int, conn: DbConnection, viewer: PrivacyOfficer,
                reason: str = Form("", max_length=500)) -> Response:
    try:
        with transaction(conn) as cur:
            privacy_cases.reject(cur, case_id, actor=viewer.actor, role=viewer.role, reason=reason)
            notifications.acknowledge_case(cur, case_id)
    except CaseError:
        return _case_page(request, conn, case_id, error="reason" if not reason.strip() else "closed",
                          status_code=400)
    return RedirectResponse(f"/dpo/cases/{case_id}", status_code=303)


@router.post("/cases/{case_id}/export", summary="Answer an access request: the redacted export (closes the case)")
def export_case(request: Request, case_id: int, conn: DbConnection, viewer: PrivacyOfficer) -> Response:
    settings = settings_of(request)
    try:
        with transaction(conn) as cur:
            case, pseudonyms = privacy_cases.access_pseudonyms(cur, case_id)
            document = access_export.build(cur, source=case.source, pseudonyms=pseudonyms,
                                           cipher=components.cipher(settings), reference=case.reference,
                                           retention_days=settings.retention_days)
            privacy_cases.answer_access(cur, case, actor=viewer.actor, role=viewer.role,
                                        posts_exported=len(document["posts"]))
            notifications.acknowledge_case(cur, case_id)
    except CaseError:
        return _case_page(request, conn, case_id, error="closed", status_code=409)
    return Response(json.dumps(document, ensure_ascii=False, indent=2), media_type="application/json",
                    headers={"Content-Disposition": f'attachment; filename="{case.reference}.json"',
                             "Cache-Control": "no-store"})
