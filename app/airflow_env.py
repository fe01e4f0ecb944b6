"""Environment for running Majakka's DAGs under a local Airflow (demo, tests, standalone).

Airflow reads its configuration when first imported, so these variables must be set
before anything imports ``airflow``; subprocesses receive them explicitly.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

from core.config import PROJECT_ROOT

DAGS_FOLDER = PROJECT_ROOT / "dags"


def airflow_environment(home: Path) -> dict[str, str]:
    """Variables for a single-machine Airflow with SQLite metadata under ``home/airflow``."""
    airflow_home = home / "airflow"
    airflow_home.mkdir(parents=True, exist_ok=True)
    return {
        "AIRFLOW_HOME": str(airflow_home),
        "AIRFLOW__CORE__DAGS_FOLDER": str(DAGS_FOLDER),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__CORE__PARALLELISM": "4",
        "AIRFLOW__API__HOST": "127.0.0.1",
        "AIRFLOW__LOGGING__LOGGING_LEVEL": "INFO",
        "PYTHONPATH": os.pathsep.join(filter(None, [str(PROJECT_ROOT), os.environ.get("PYTHONPATH")])),
    }


def airflow_executable() -> str:
    """The ``airflow`` beside this interpreter (standalone starts children from PATH)."""
    candidate = Path(sys.executable).with_name("airflow")
    if candidate.exists():
        return str(candidate)
    found = shutil.which("airflow")
    if found is None:
        raise FileNotFoundError("airflow is not installed in this environment")
    return found


def init_commands(airflow: str) -> list[list[str]]:
    """What a fresh Airflow home needs before Majakka's DAGs run: the metadata schema and the Reddit pool."""
    from app.airflow_resources import REDDIT_POOL, REDDIT_POOL_DESCRIPTION, REDDIT_POOL_SLOTS

    return [[airflow, "db", "migrate"],
            [airflow, "pools", "set", REDDIT_POOL, str(REDDIT_POOL_SLOTS), REDDIT_POOL_DESCRIPTION]]
