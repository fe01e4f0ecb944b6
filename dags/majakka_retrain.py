"""Majakka retrain: counsellor labels -> candidate model -> gate -> human approval -> promotion.

Weekly or on demand. Steps: export the labels counsellors' decisions made (encrypted,
versioned) -> refuse an export that failed its checks or is too small -> train a candidate
with the active model's recipe plus those labels -> score the frozen gold set with both
models and apply the gate (no drop in recall at levels >= 3, macro-F1 within tolerance,
overall and per language) -> if it passed, the candidate scores in shadow mode and an ML
engineer approves or rejects it in Airflow's Required Actions -> on approval it becomes the
active model, and a rejected one stops shadowing. A refused or rejected candidate is never
promoted. The same export also trains a first-stage candidate, gated on recall of levels >= 2;
if it passes it screens beside the active first stage during collection (disagreements counted)
until an ML engineer promotes it with ``majakka models promote`` after
``majakka models shadow-report --kind first_stage``. XCom carries versions and numbers only.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta

from airflow.providers.standard.operators.hitl import ApprovalOperator
from airflow.sdk import Param, dag, task

from app.dag_defaults import task_defaults


@contextmanager
def refusals_fail_at_once() -> Iterator[None]:
    """A refusal (bad export, stale gate result) is deterministic: fail the task without retries."""
    from airflow.sdk.exceptions import AirflowFailException

    from models.lifecycle.retrain import RetrainRefusedError

    try:
        yield
    except RetrainRefusedError as error:
        raise AirflowFailException(str(error)) from None


DEFAULT_ARGS = task_defaults(retries=2, retry_delay=timedelta(minutes=5), max_retry_delay=timedelta(minutes=30),
                             execution_timeout=timedelta(hours=3))

APPROVAL_BODY = """\
{% set r = ti.xcom_pull(task_ids='evaluate') %}
Candidate **{{ r.candidate }}** against the active **{{ r.baseline }}** on the frozen gold set
**{{ r.gold_set }}** (n = {{ r.gold_n }}, development data written by the team): the gate passed.

| subset | macro-F1 candidate | macro-F1 active | recall >= 3 candidate | recall >= 3 active |
|---|---|---|---|---|
{% for s in ['all', 'fi', 'sv'] -%}
| {{ s }} | {{ r[s ~ '_macro_f1_candidate'] }} | {{ r[s ~ '_macro_f1_active'] }} | \
{{ r[s ~ '_recall_high_candidate'] }} | {{ r[s ~ '_recall_high_active'] }} |
{% endfor %}
{% set c = ti.xcom_pull(task_ids='shadow_compare') %}
Shadow comparison on the {{ c.compared }} stored (redacted) posts both models scored:
same level for {{ (100 * c.agreement) | round(1) }} %; queued (level >= 2): active {{ c.queued_by_active }},
candidate {{ c.queued_by_shadow }} (would add {{ c.would_add }}, drop {{ c.would_drop }}); urgent (level >= 3):
active {{ c.urgent_by_active }}, candidate {{ c.urgent_by_shadow }}; on {{ c.labelled }} counsellor-labelled
posts (some of them in its training data) exact level: active {{ '-' if c.active_accuracy is none else
c.active_accuracy | round(3) }}, candidate {{ '-' if c.shadow_accuracy is none else c.shadow_accuracy | round(3) }}.

The candidate keeps scoring new posts in shadow mode (never queued) while this waits; the
review app's Models page and `majakka models shadow-report` show the comparison as it grows.
Approve to make it the active model; reject to keep the current one.
"""


@dag(
    dag_id="majakka_retrain",
    schedule="@weekly",
    start_date=datetime(2026, 1, 1),
    catchup=False,
    max_active_runs=1,
    default_args=DEFAULT_ARGS,
    params={"recipe": Param({}, type="object",
                            description="TrainConfig fields that override the active model's recipe")},
    tags=["majakka", "models"],
    doc_md=__doc__,
)
def majakka_retrain():
    @task
    def export_labels() -> dict:
        """Counsellor corrections and confirmations, as an encrypted, versioned, checked export."""
        from app.tasks import retrain_export

        with refusals_fail_at_once():
            return retrain_export()

    @task.short_circuit
    def validate(export: dict) -> bool:
        """Fail if the export failed its Great Expectations checks; skip the rest while labels are too few."""
        from app.tasks import retrain_validate

        with refusals_fail_at_once():
            return retrain_validate(export["export"])

    @task
    def train(export: dict, params: dict | None = None) -> str:
        """Train the candidate on the development data plus the export; the gold set is held out."""
        from app.tasks import retrain_train

        return retrain_train(export["export"], (params or {}).get("recipe") or {})

    @task
    def train_first_stage(export: dict) -> str:
        """Train the first-stage candidate on the same export (the gold set held out)."""
        from app.tasks import retrain_train_first_stage

        return retrain_train_first_stage(export["export"])

    @task
    def gate_first_stage(candidate: str) -> dict:
        """Recall of levels >= 2 on team-written data; a pass makes it the first-stage shadow."""
        from app.tasks import retrain_gate_first_stage

        return retrain_gate_first_stage(candidate)

    @task
    def evaluate(candidate: str) -> dict:
        """Both models on the frozen gold set; the gate's verdict is stored and audited."""
        from app.tasks import retrain_evaluate

        return retrain_evaluate(candidate)

    @task.short_circuit
    def gate_passed(evaluation: dict) -> bool:
        """A refused candidate ends the run here: nobody is asked to approve it."""
        return bool(evaluation["passed"])

    @task
    def shadow_compare(candidate: str) -> dict:
        """Score the stored posts with the candidate into the shadow table; counts for the approver."""
        from app.tasks import retrain_shadow_compare

        return retrain_shadow_compare(candidate)

    approve = ApprovalOperator(
        task_id="approve",
        subject="Promote the retrained Majakka model?",
        body=APPROVAL_BODY,
        response_timeout=timedelta(days=7),
        ignore_downstream_trigger_rules=False,  # a rejection skips `promote` only; `end_shadow` still runs
        retries=2,
    )

    @task
    def promote(candidate: str, approval: dict) -> str:
        """Activate the candidate (re-checking its gate result against the model active now)."""
        from app.tasks import retrain_promote

        approver = (approval.get("responded_by_user") or {}).get("name") or "unknown approver"
        with refusals_fail_at_once():
            return retrain_promote(candidate, f"airflow:{approver}")

    @task(trigger_rule="all_done")
    def end_shadow(candidate: str) -> bool:
        """After a rejection or an unanswered request, the candidate stops shadowing (promotion ends it too)."""
        from app.tasks import retrain_end_shadow

        return retrain_end_shadow(candidate)

    exported = export_labels()
    checked = validate(exported)
    candidate = train(exported)
    checked >> candidate
    first_stage_candidate = train_first_stage(exported)
    checked >> first_stage_candidate
    gate_first_stage(first_stage_candidate)
    evaluation = evaluate(candidate)
    gate_passed(evaluation) >> shadow_compare(candidate) >> approve
    promote(candidate, approve.output) >> end_shadow(candidate)


retrain_dag = majakka_retrain()

if __name__ == "__main__":
    retrain_dag.test()
