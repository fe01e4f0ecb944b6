"""Builds each stage's parts from settings, in one place, so CLI and DAG tasks agree.

Heavy parts (language models, Presidio, the scorer) are imported and built here, on
first use inside a task, never when Airflow parses a DAG file.
"""

from __future__ import annotations

from functools import lru_cache

from core.config import Settings
from core.db.connection import Connection
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
def message_filter():
    """The privacy filter the review app runs on messages counsellors record as sent (loaded once)."""
    return privacy_filter()


@lru_cache(maxsize=1)
def lexicon_scorer():
    from models.serving.lexicon.baseline import LexiconScorer

    return LexiconScorer()


@lru_cache(maxsize=2)
def _transformer_scorer(model_path: str, encoder_path: str):
    from pathlib import Path

    from models.serving.predict import TransformerScorer

    return TransformerScorer(Path(model_path), Path(encoder_path))


def encoder_dir():
    from core.config import model_cache

    return model_cache() / "multilingual-e5-small"


def scorer(conn: Connection):
    """The active model from the registry, else the lexicon baseline (the registry is only read)."""
    from models.lifecycle import registry

    current = registry.active(conn)
    if current is None:
        return lexicon_scorer()
    return _transformer_scorer(str(registry.model_dir(current)), str(encoder_dir()))


def active_version(conn: Connection) -> str:
    """The version scores are written under now, read from the registry without loading any weights."""
    from models.lifecycle import registry

    current = registry.active(conn)
    return current.version if current else lexicon_scorer().version


def shadow_scorer(conn: Connection):
    """The shadow candidate, without explanations (nobody reads its scores post by post), or ``None``."""
    from models.lifecycle import registry

    candidate = registry.shadow(conn)
    if candidate is None:
        return None
    return _transformer_scorer(str(registry.model_dir(candidate)), str(encoder_dir()))


def gold_set(settings: Settings):
    """The frozen gold set every gate decision is measured on (``MAJAKKA_GOLD_SET`` names another)."""
    from models.lifecycle.gold import DEFAULT_GOLD, load_gold

    return load_gold(settings.gold_set or DEFAULT_GOLD)


def gate_scorer(conn: Connection, version: str | None):
    """A registered version (``None``: the active one, or the lexicon baseline) scoring without explanations."""
    from models.lifecycle import registry

    if version is None:
        current = registry.active(conn)
        if current is None:
            return lexicon_scorer()
        version = current.version
    return _transformer_scorer(str(registry.model_dir(registry.get(conn, version))), str(encoder_dir()))


def source(settings: Settings):
    from collect.reddit import RedditSource

    return RedditSource.from_settings(settings)


def queue_policy(settings: Settings, conn: Connection) -> QueuePolicy:
    """How suggestions are queued, with the service directory as saved now."""
    from core.db.connection import transaction
    from outreach.directory import current_directory

    with transaction(conn) as cur:
        _, services = current_directory(cur)
    return QueuePolicy(
        sla_hours={2: settings.sla_hours_moderate, 3: settings.sla_hours_high, 4: settings.sla_hours_crisis},
        cooldown_days=settings.cooldown_days,
        organisation=settings.organisation_name,
        services=services,
        second_look_rate=settings.second_look_rate,
        cipher=cipher(settings),
    )


def ingestor(settings: Settings, conn: Connection):
    """The collection pass, with the registry's active first stage and its shadow (unless turned off)."""
    from app.pipeline.ingest import Ingestor

    active, shadow = first_stages(conn) if settings.first_stage else (None, None)
    return Ingestor(
        source=source(settings), text_filter=privacy_filter(), pseudonymizer=pseudonymizer(settings),
        cipher=cipher(settings), retention_days=settings.retention_days, fetch_limit=settings.fetch_limit,
        max_post_chars=settings.max_post_chars, community_languages=settings.community_languages,
        first_stage=active, shadow_first_stage=shadow, second_look_rate=settings.second_look_rate,
    )


def first_stages(conn: Connection):
    """The registry's active first stage and its shadow candidate (each ``None`` when there is none)."""
    from models.lifecycle import registry

    return tuple(load_first_stage(str(registry.model_dir(version))) if version else None
                 for version in (registry.active(conn, registry.KIND_FIRST_STAGE),
                                 registry.shadow(conn, registry.KIND_FIRST_STAGE)))


@lru_cache(maxsize=4)
def load_first_stage(directory: str):
    """A first stage's weights, read once per process and directory."""
    from pathlib import Path

    from models.serving import first_stage as stage

    return stage.load(Path(directory))


def workflow_policy(settings: Settings):
    from outreach.workflow import WorkflowPolicy

    return WorkflowPolicy(claim_minutes=settings.claim_minutes, cooldown_days=settings.cooldown_days,
                          timezone=settings.timezone, counsellor_daily_limit=settings.counsellor_daily_limit)
