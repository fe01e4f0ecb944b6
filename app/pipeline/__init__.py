"""The stages Airflow tasks and CLI commands call: ingest, score, enqueue, deletion sync, purge."""
