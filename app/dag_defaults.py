"""Task defaults shared by the DAG files: every task retries with backoff and has a timeout.

Kept free of heavy imports: the scheduler imports this whenever it parses a DAG file.
"""

from __future__ import annotations

from datetime import timedelta


def task_defaults(*, retries: int, retry_delay: timedelta, max_retry_delay: timedelta,
                  execution_timeout: timedelta) -> dict:
    return {
        "owner": "majakka",
        "retries": retries,
        "retry_delay": retry_delay,
        "retry_exponential_backoff": 2.0,
        "max_retry_delay": max_retry_delay,
        "execution_timeout": execution_timeout,
    }


#: Daily jobs (retention, reports): a few patient retries.
DAILY = task_defaults(retries=3, retry_delay=timedelta(minutes=5), max_retry_delay=timedelta(hours=1),
                      execution_timeout=timedelta(hours=1))
#: The 10-minute pipeline: quick retries, short timeouts, so a stuck run never blocks the next.
FREQUENT = task_defaults(retries=2, retry_delay=timedelta(seconds=30), max_retry_delay=timedelta(minutes=10),
                         execution_timeout=timedelta(minutes=20))
