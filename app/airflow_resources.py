"""Names the DAG files share: the Asset that links collection to scoring, and the Reddit pool.

Kept free of heavy imports (the scheduler parses DAG files constantly). The pool itself is
created by ``majakka airflow-init`` (Airflow 3 has no way to declare a pool in DAG code); a
task naming a pool that does not exist would wait forever under a scheduler.
"""

from __future__ import annotations

from airflow.sdk import Asset

#: Redacted, encrypted posts stored by the collect DAG and passed its checks; scoring listens to it.
STORED_POSTS = Asset(name="majakka_stored_posts", uri="majakka://posts/redacted")

#: Every task that calls the Reddit API runs in this pool, so concurrent runs share one rate budget.
REDDIT_POOL = "majakka_reddit_api"
REDDIT_POOL_SLOTS = 1
REDDIT_POOL_DESCRIPTION = "Reddit API calls: one at a time keeps collection within the API's rate budget"
