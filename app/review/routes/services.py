"""The service directory in the app: an administrator sees it, downloads it as CSV and imports a new one.

A partner's administrator replaces only its own partner's services; an administrator of the
deployment itself (the default partner) replaces the whole directory. Every import is a new,
audited version; drafts use the newest from the next enqueue on.
"""

from __future__ import annotations

import io

from fastapi import APIRouter, File, Request, UploadFile
from fastapi.responses import RedirectResponse, Response

from app.review.web import Admin, DbConnection, Viewer, render
from core.db.connection import Connection, transaction
from outreach import directory

router = APIRouter()
MAX_CSV_BYTES = 1_000_000


@router.get("/admin/services", summary="The service directory, its versions, and CSV import")
def services_page(request: Request, conn: DbConnection, viewer: Admin, notice: str | None = None) -> Response:
    return _page(request, conn, viewer, notice=notice)


def _page(request: Request, conn: Connection, viewer: Viewer, *, notice: str | None = None, error: str | None = None,
          status_code: int = 200) -> Response:
    with transaction(conn) as cur:
        version, services = directory.current_directory(cur)
        history = directory.versions(cur)
    return render(request, "admin_services.html", version=version, services=services, history=history,
                  own_partner=viewer.user.scope.administered, notice=notice, error=error, status_code=status_code)


@router.get("/admin/services.csv", summary="The current service directory as CSV (to edit and import)")
def services_csv(conn: DbConnection, _: Admin) -> Response:
    with transaction(conn) as cur:
        _, services = directory.current_directory(cur)
    out = io.StringIO()
    directory.to_csv(services, out)
    return Response(out.getvalue(), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="services.csv"'})


@router.post("/admin/services/import", summary="Import a new service directory from CSV (a new, audited version)")
async def import_services(request: Request, conn: DbConnection, viewer: Admin,
                          csv_file: UploadFile = File()) -> Response:
    data = await csv_file.read(MAX_CSV_BYTES + 1)
    try:
        if len(data) > MAX_CSV_BYTES:
            raise ValueError("the file is larger than 1 MB")
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            raise ValueError("the file is not UTF-8 text (save the spreadsheet as CSV UTF-8)") from None
        imported = directory.parse_csv(text)
        with transaction(conn) as cur:
            _, current = directory.current_directory(cur)
            merged = directory.merged_for_partner(current, imported, viewer.user.scope.administered)
            directory.save_directory(cur, merged, actor=viewer.actor, role=viewer.role,
                                     note=f"CSV import of {len(imported)} service(s) by {viewer.actor}")
    except ValueError as error:
        return _page(request, conn, viewer, error=str(error), status_code=400)
    return RedirectResponse("/admin/services?notice=saved", status_code=303)
