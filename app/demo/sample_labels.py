"""Demo stand-in for counsellors' level corrections: the sample's own annotations become labels.

The retraining loop needs decisions to learn from. In the offline demo nobody has worked the
queue, so this walks the open suggestions in order and records, as the demo supervisor, the
level the team annotated for that sample post (a correction when it differs from the model,
a confirmation when it agrees). Used only by the demo: in production the labels are the
counsellors' own decisions in the review app.
"""

from __future__ import annotations

import secrets
from collections import Counter

from app.demo.sample import load_sample
from app.staff import accounts
from core.db.connection import Connection, transaction
from outreach.workflow import Worker, relabel
from outreach.worklist import available_uncorrected

LABELLER = "demo-labeller"


def label_from_sample(conn: Connection, *, limit: int) -> dict[str, int]:
    """Correct up to ``limit`` open suggestions to their sample annotation; returns counts only."""
    annotated = {item.fullname: item.level for item in load_sample() if item.level is not None}
    with transaction(conn) as cur:
        user_id = accounts.find_id(cur, LABELLER) or accounts.create(
            cur, username=LABELLER, display_name="Demo labeller", role="supervisor",
            password=secrets.token_urlsafe(16), team_id=None, ui_language="en", actor="demo",
            actor_role="system").id
        open_items = [(r["id"], r["level"], annotated.get(r["source_id"])) for r in available_uncorrected(cur)]
    worker = Worker(user_id, LABELLER, "supervisor", None)
    counts: Counter[str] = Counter()
    for suggestion_id, model_level, level in [item for item in open_items if item[2] is not None][:limit]:
        relabel(conn, worker, suggestion_id, level)
        counts[f"label_{level}"] += 1
        counts["agreed_with_model" if level == model_level else "corrected"] += 1
    return dict(sorted(counts.items()))
