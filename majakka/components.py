"""Builds each stage's parts from settings, in one place, so CLI and DAG tasks agree.

Heavy parts (language models, Presidio, the scorer) are imported and built here, on
first use inside a task, never when Airflow parses a DAG file.
"""

from __future__ import annotations

from functools import lru_cache

from majakka.config import Settings
from outreach.queue import QueuePolicy


def pseudonymizer(settings: Settings):
    from privacy.pseudonym import Pseudonymizer

    return Pseudonymizer.from_keys(
        settings.pseudonym_key.get_secret_value().encode(),
        [key.get_secret_value().encode() for key in settings.pseudonym_previous_keys],
    )


def cipher(settings: Settings):
    from privacy.encryption import TextCipher

    return TextCipher(
        settings.encryption_key.get_secret_value().encode(),
        [key.get_secret_value().encode() for key in settings.encryption_previous_keys],
    )


@lru_cache(maxsize=1)
def privacy_filter():
    from privacy.redaction import PrivacyFilter

    return PrivacyFilter()


@lru_cache(maxsize=1)
def scorer():
    """The active scorer. Until the model registry exists, the lexicon baseline."""
    from models.lexicon_baseline import LexiconScorer

    return LexiconScorer()


def source(settings: Settings):
    from collect.reddit import RedditSource

    return RedditSource.from_settings(settings)


def queue_policy(settings: Settings) -> QueuePolicy:
    from outreach.directory import load_directory

    return QueuePolicy(
        sla_hours={2: settings.sla_hours_moderate, 3: settings.sla_hours_high, 4: settings.sla_hours_crisis},
        cooldown_days=settings.cooldown_days,
        organisation=settings.organisation_name,
        services=load_directory(),
    )


def ingestor(settings: Settings):
    from majakka.pipeline.ingest import Ingestor

    return Ingestor(
        source=source(settings), text_filter=privacy_filter(), pseudonymizer=pseudonymizer(settings),
        cipher=cipher(settings), retention_days=settings.retention_days, fetch_limit=settings.fetch_limit,
    )
