"""Aggregate views: queue health and outcomes for supervisors, model quality for ML engineers.

Numbers only, never post text. Precision per level comes from counsellors' decisions
(``outreach.stats``), so it shows how often the system's suggestions were false alarms.
"""

from __future__ import annotations

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from app.review.charts import bar_chart, trend_chart
from app.review.i18n import Translator
from app.review.labels import label
from app.review.routes.queue import worker
from app.review.web import DbConnection, ModelsViewer, Supervisor, language_of, level_name, render, settings_of
from app.staff import accounts
from core.db.connection import transaction
from models.lifecycle import registry
from models.lifecycle.shadow import compare_shadow
from outreach import escalations, second_look, stats, workflow
from outreach.daily_report import recent_reports
from outreach.directory import every_service
from outreach.workflow import ActionRefusedError
from outreach.worklist import overflow_size, team_capacity
from privacy import posts
from quality import results

router = APIRouter()


def _percent(value: float | None) -> str:
    return "–" if value is None else f"{value:.0%}"


def _precision_chart(translate, precision: list[stats.LevelPrecision]):
    return bar_chart(translate("Precision of suggestions by level"),
                     [(translate(level_name(p.level)), p.precision or 0.0, f"{_percent(p.precision)} (n={p.decided})")
                      for p in precision], maximum=1.0)


@router.get("/supervisor", summary="Queue health, SLA compliance, outcomes and precision")
def supervisor_page(request: Request, conn: DbConnection, viewer: Supervisor, notice: str | None = None) -> Response:
    settings = settings_of(request)
    translate = Translator(language_of(request)).gettext
    with transaction(conn) as cur:
        scope = viewer.user.scope  # a supervisor oversees their own partner's work
        missed = second_look.missed_risk(cur, scope)
        health = stats.queue_health(cur, scope)
        sla = stats.sla_compliance(cur, scope=scope)
        precision = stats.precision_by_level(cur, scope=scope)
        outcomes = stats.counts_by(cur, "outcome", scope=scope)
        reasons = stats.counts_by(cur, "dismiss_reason", scope=scope)
        decisions = stats.counts_by(cur, "status", scope=scope)
        services = stats.service_outcomes(cur, scope=scope)
        service_names = {service_id: service.name for service_id, service in every_service(cur).items()}
        capacity = team_capacity(cur, viewer.user.team_id, settings.timezone)
        overflow = overflow_size(cur, capacity, viewer.user.scope)
        team_rows = accounts.teams(cur, scope.partner)
        reports = recent_reports(cur, scope.partner, days=30)
        escalated = escalations.escalations(cur, scope)
    charts = {
        "open": bar_chart(translate("Open items by level"),
                          [(translate(level_name(level)), health.open_by_level.get(level, 0),
                            str(health.open_by_level.get(level, 0))) for level in (4, 3, 2)]),
        "sla": bar_chart(translate("Decided within the SLA"),
                         [(translate(level_name(s.level)), s.share or 0.0, f"{_percent(s.share)} (n={s.decided})")
                          for s in sla], maximum=1.0),
        "precision": _precision_chart(translate, precision),
        "outcomes": bar_chart(translate("Outcomes after reaching out"),
                              [(translate(label(key)), n, str(n)) for key, n in outcomes.items()]),
        **_trend_charts(translate, reports),
    }
    return render(request, "supervisor.html", health=health, sla=sla, precision=precision, outcomes=outcomes,
                  reasons=reasons, decisions=decisions, capacity=capacity, overflow=overflow, charts=charts,
                  teams=team_rows, percent=_percent, reports=reports, missed=missed, services=services,
                  service_names=service_names, escalated=escalated, notice=notice,
                  escalation_outcomes=workflow.ESCALATION_OUTCOMES)


def _trend_charts(translate, reports: list[dict]) -> dict:
    """The last 30 days, oldest left: items queued per day, and the share decided within the SLA."""
    days = list(reversed(reports))
    queued, on_time = [], []
    for r in days:
        count = sum(r["queued_by_level"].values())
        queued.append((r["day"], float(count), str(count)))
        decided = sum(v["decided"] for v in r["sla_by_level"].values())
        share = sum(v["on_time"] for v in r["sla_by_level"].values()) / decided if decided else 0.0
        on_time.append((r["day"], share, f"{_percent(share)} (n={decided})" if decided else "–"))
    return {"trend_queued": trend_chart(translate("Queued per day, last 30 days"), queued),
            "trend_on_time": trend_chart(translate("Decided within the SLA per day, last 30 days"), on_time,
                                         maximum=1.0, axis_label="100 %")}


def _escalation_act(action) -> Response:
    try:
        action()
    except ActionRefusedError as refused:
        return RedirectResponse(f"/supervisor?notice={refused.reason}#escalations", status_code=303)
    return RedirectResponse("/supervisor?notice=saved#escalations", status_code=303)


@router.post("/supervisor/escalations/{suggestion_id}/take", summary="Take an escalation on (acknowledges it)")
def take_escalation(suggestion_id: int, conn: DbConnection, viewer: Supervisor) -> Response:
    return _escalation_act(lambda: workflow.take_escalation(conn, worker(viewer), suggestion_id))


@router.post("/supervisor/escalations/{suggestion_id}/outcome", summary="Record what was done about an escalation")
def escalation_outcome(suggestion_id: int, conn: DbConnection, viewer: Supervisor,
                       outcome: str = Form("")) -> Response:
    return _escalation_act(lambda: workflow.record_escalation_outcome(conn, worker(viewer), suggestion_id, outcome))


@router.get("/models", summary="Model versions, precision from decisions, quality checks")
def models_page(request: Request, conn: DbConnection, _: ModelsViewer) -> Response:
    translate = Translator(language_of(request)).gettext
    versions = registry.versions(conn)
    with transaction(conn) as cur:
        precision = stats.precision_by_level(cur)
        corrections = stats.corrections(cur)
        missed = second_look.missed_risk(cur)
        checks = results.recent(cur)
        quarantined = posts.count_quarantined(cur)
        evaluations = registry.recent_evaluations(cur)
        active = next((v for v in versions if v.active), None)
        shadow = next((v for v in versions if v.shadow), None)
        shadow_report = compare_shadow(cur, active.version, shadow.version) if active and shadow else None
    return render(request, "models.html", versions=versions, precision=precision, corrections=corrections,
                  checks=checks, quarantined=quarantined, chart=_precision_chart(translate, precision),
                  percent=_percent, evaluations=evaluations, shadow_report=shadow_report, missed=missed)
