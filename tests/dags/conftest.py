"""Airflow fixtures: a fresh metadata database (SQLite under the test home) and the DagBag."""

from __future__ import annotations

import pytest

from app.airflow_env import DAGS_FOLDER


@pytest.fixture(scope="session")
def airflow_db():
    from airflow.utils import db

    db.resetdb()
    yield
    from airflow import settings as airflow_settings

    airflow_settings.dispose_orm()


@pytest.fixture(scope="session")
def dagbag(airflow_db):
    from airflow.dag_processing.dagbag import DagBag

    return DagBag(dag_folder=str(DAGS_FOLDER))
