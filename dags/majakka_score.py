"""Majakka score: score new posts in mapped batches -> check scores -> enqueue suggestions.

Triggered by the ``majakka_stored_posts`` Asset that ``majakka_collect`` updates. Pending
posts are cut into id ranges; each range is one mapped task, so Celery or Kubernetes workers
share the scoring. A shadow candidate, when one is set, scores the same posts into a separate
table that never reaches the queue. Failed score checks quarantine the posts they cover.
XCom carries id bounds and counts only; the logic lives in ``app.tasks``.
"""

from __future__ import annotations

from datetime import datetime

from airflow.sdk import dag, task

from app.airflow_resources import STORED_POSTS
from app.dag_defaults import FREQUENT

DEFAULT_ARGS = FREQUENT


@dag(
    dag_id="majakka_score",
    schedule=[STORED_POSTS],
    start_date=datetime(2026, 1, 1),
    catchup=False,
    max_active_runs=1,
    default_args=DEFAULT_ARGS,
    tags=["majakka", "pipeline"],
    doc_md=__doc__,
)
def majakka_score():
    @task
    def plan_batches() -> list[dict[str, int]]:
        """Id ranges of posts the active model has not scored, a bounded number of posts each."""
        from app.tasks import plan_score_batches

        return plan_score_batches()

    @task(max_active_tis_per_dagrun=4)
    def score_batch(bounds: dict[str, int]) -> dict[str, int]:
        """Score one id range with the active model."""
        from app.tasks import score_range

        return score_range(bounds)

    @task(trigger_rule="none_failed")
    def shadow_score() -> dict[str, int]:
        """Score the same posts with the shadow candidate, if any (never queued)."""
        from app.tasks import shadow_score as run

        return run()

    @task(trigger_rule="none_failed")
    def check_scores() -> dict[str, int]:
        """Score distributions, levels and drift; failures quarantine the scored posts."""
        from app.tasks import check_scores as run

        return run()

    @task(trigger_rule="none_failed")
    def enqueue() -> dict[str, int]:
        """Create prioritised, de-duplicated outreach suggestions for levels 2-4."""
        from app.tasks import enqueue as run

        return run()

    @task(trigger_rule="none_failed")
    def explain_queued() -> dict[str, int]:
        """Explain the newly queued items (clause occlusion), most urgent first: never in the scoring path."""
        from app.tasks import explain_queued as run

        return run()

    scored = score_batch.expand(bounds=plan_batches())
    checked = check_scores()
    scored >> checked >> enqueue() >> explain_queued()
    scored >> shadow_score()


score_dag = majakka_score()

if __name__ == "__main__":
    score_dag.test()
