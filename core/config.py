"""Validated configuration from ``MAJAKKA_*`` environment variables and an optional env file.

Secrets (pseudonym key, encryption key, Reddit credentials) have no defaults on purpose:
a deployment that forgot one must fail at start-up with a line naming the setting, not
run with a value everybody can read in the source code.
"""

from __future__ import annotations

import base64
import binascii
import os
from functools import lru_cache
from pathlib import Path
from typing import Annotated

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parents[1]

DEFAULT_SUBREDDITS = ("Suomi", "arkisuomi", "Finland", "sweden", "svenskpolitik")
#: r/Finland is left out: its posts are in English, Finnish and Swedish alike.
DEFAULT_COMMUNITY_LANGUAGES = {"Suomi": "fi", "arkisuomi": "fi", "mielenterveys": "fi", "sweden": "sv",
                               "svenskpolitik": "sv", "Gothenburg": "sv"}
REDDIT_OAUTH_URL = "https://oauth.reddit.com"
REDDIT_WWW_URL = "https://www.reddit.com"
REDDIT_SHORT_URL = "https://redd.it"


class ConfigError(RuntimeError):
    """Raised with one line per invalid or missing setting."""


def default_home() -> Path:
    """Where runtime state lives (embedded PostgreSQL, generated demo secrets)."""
    return Path(os.environ.get("MAJAKKA_HOME", PROJECT_ROOT / ".majakka"))


def model_cache() -> Path:
    """Where converted model weights live (large, git-ignored, shared by demo and tests)."""
    return Path(os.environ.get("MAJAKKA_MODEL_CACHE", PROJECT_ROOT / ".cache" / "models"))


def secrets_file() -> Path:
    """The git-ignored env file the demo writes its generated secrets into."""
    return default_home() / "secrets.env"


def _split_commas(value: str) -> tuple[str, ...]:
    """``"a, b,,c "`` -> ``("a", "b", "c")``: how every list setting is written in the environment."""
    return tuple(part.strip() for part in value.split(",") if part.strip())


def _check_hmac_key(value: SecretStr) -> None:
    if len(value.get_secret_value()) < 32:
        raise ValueError("too short")


def _check_fernet_key(value: SecretStr) -> None:
    try:
        raw = base64.urlsafe_b64decode(value.get_secret_value().encode())
    except (binascii.Error, ValueError):
        raise ValueError("not url-safe base64") from None
    if len(raw) != 32:
        raise ValueError("does not decode to 32 bytes")


class Settings(BaseSettings):
    """Every setting Majakka reads; the field description is the "expected" part of errors."""

    model_config = SettingsConfigDict(env_prefix="MAJAKKA_", extra="ignore", validate_default=True)

    home: Path = Field(default_factory=default_home, description="a writable directory for runtime state")
    database_url: str | None = Field(
        default=None,
        description="a PostgreSQL URL like postgresql://user:pass@host:5432/db (unset: embedded server)",
    )
    pseudonym_key: SecretStr = Field(description="a secret of at least 32 characters for author pseudonyms")
    pseudonym_previous_keys: Annotated[tuple[SecretStr, ...], NoDecode] = Field(
        default=(),
        description="comma-separated retired pseudonym keys, kept so erasure finds rows made with them",
    )
    encryption_key: SecretStr = Field(
        description="a Fernet key (32 url-safe base64-encoded bytes) for encrypting stored text",
    )
    encryption_previous_keys: Annotated[tuple[SecretStr, ...], NoDecode] = Field(
        default=(),
        description="comma-separated retired Fernet keys, still accepted for decryption until rotated away",
    )
    reddit_client_id: SecretStr = Field(description="the Reddit app's client id")
    reddit_client_secret: SecretStr = Field(description="the Reddit app's client secret")
    reddit_user_agent: str = Field(
        default="majakka-outreach/0.1 (municipal outreach research)",
        min_length=10,
        description="a descriptive User-Agent of at least 10 characters, as Reddit's API rules require",
    )
    reddit_base_url: str | None = Field(
        default=None,
        description="an http(s) URL of a Reddit-compatible server (unset: Reddit's own endpoints)",
    )
    subreddits: Annotated[tuple[str, ...], NoDecode] = Field(
        default=DEFAULT_SUBREDDITS,
        description="comma-separated subreddit names, e.g. Suomi,sweden",
    )
    community_languages: Annotated[dict[str, str], NoDecode] = Field(
        default_factory=lambda: dict(DEFAULT_COMMUNITY_LANGUAGES),
        description="comma-separated community:language pairs (fi or sv), e.g. Suomi:fi,sweden:sv: the language "
                    "a community's posts are taken to be in when a post is too short or too close to tell",
    )
    max_post_chars: int = Field(
        default=10_000, ge=200, le=1_000_000,
        description="an integer 200-1000000: characters of a post read before it is cut (head and tail kept)",
    )
    first_stage: bool = Field(
        default=True,
        description="true or false: let the cascade's first stage clear clearly unconcerning posts before anything "
                    "is stored (false sends every Finnish and Swedish post on to the filter and the model)",
    )
    score_range_size: int = Field(
        default=256, ge=1, le=100_000,
        description="an integer 1-100000: stored posts per mapped scoring task (smaller ranges spread one collection "
                    "over more workers; each task loads the model once)",
    )
    second_look_rate: float = Field(
        default=0.01, ge=0, le=1,
        description="a number 0-1: share of the posts scored below the queue set aside for counsellors' second look",
    )
    fetch_limit: int = Field(default=500, ge=1, le=5000, description="an integer 1-5000: items per stream per run")
    retention_days: int = Field(default=30, ge=1, le=365, description="an integer 1-365: days a post is kept")
    cooldown_days: int = Field(
        default=14, ge=0, le=365, description="an integer 0-365: days between suggestions about one author"
    )
    counsellor_daily_limit: int = Field(
        default=15, ge=1, le=500, description="an integer 1-500: outreach messages one counsellor may record per day"
    )
    dpo_contact: str = Field(
        default="tietosuoja@esimerkkikunta.example", min_length=3,
        description="how the public reaches the data-protection officer (e-mail or web address)",
    )
    controller: str = Field(
        default="Esimerkkikunta (demo: no real controller)", min_length=2,
        description="who runs this deployment and is the controller of its data (shown on /about)",
    )
    organisation_name: str = Field(
        default="Majakka", min_length=2, description="the service's name as drafts introduce it"
    )
    sla_hours_crisis: float = Field(default=1, gt=0, le=168, description="hours (0-168] to act on a crisis item")
    sla_hours_high: float = Field(default=24, gt=0, le=720, description="hours (0-720] to act on a high item")
    sla_hours_moderate: float = Field(
        default=72, gt=0, le=720, description="hours (0-720] to act on a moderate item"
    )
    claim_minutes: int = Field(
        default=30, ge=5, le=480, description="an integer 5-480: minutes a counsellor's claim on an item lasts"
    )
    timezone: str = Field(
        default="Europe/Helsinki", description="an IANA time zone name; days for capacity and counts start here"
    )
    smtp_host: str | None = Field(
        default=None, description="the SMTP server on-call alerts are sent through (unset: alerts are only audited)"
    )
    smtp_port: int = Field(default=25, ge=1, le=65535, description="an integer 1-65535: the SMTP server's port")
    smtp_sender: str = Field(
        default="majakka@localhost", min_length=3, description="the sender address of on-call alerts"
    )
    public_url: str = Field(
        default="http://127.0.0.1:8000", min_length=8,
        description="the review app's address as people reach it (links in on-call alerts)",
    )
    trusted_proxies: str = Field(
        default="", description="comma-separated addresses of reverse proxies whose X-Forwarded-For is believed "
                                "(empty: none; a client's address is the connection's own)",
    )
    web_idle_minutes: int = Field(
        default=20, ge=1, le=240, description="an integer 1-240: minutes of inactivity that end a web session"
    )
    web_session_hours: float = Field(
        default=10, gt=0, le=24, description="hours (0-24] a web session lasts at most"
    )
    web_cookie_secure: bool = Field(
        default=True, description="true or false: send the session cookie over HTTPS only (false only for localhost)"
    )
    web_threads: int = Field(
        default=32, ge=2, le=200,
        description="an integer 2-200: worker threads of the review app, and its database connections (one each)",
    )
    web_db_wait_seconds: float = Field(
        default=15, gt=0, le=120,
        description="seconds (0-120] a request waits for a free database connection before it gets a 503",
    )
    login_max_failures: int = Field(
        default=5, ge=1, le=100, description="an integer 1-100: failed logins per account per 15 minutes"
    )
    break_reminder_minutes: int = Field(
        default=90, ge=10, le=600, description="an integer 10-600: minutes of work before a break reminder"
    )
    drift_threshold: float = Field(
        default=0.25, gt=0, le=1,
        description="a number (0-1]: largest total variation distance of a score batch from the model's reference",
    )
    retrain_min_labels: int = Field(
        default=20, ge=1, le=100000,
        description="an integer >= 1: counsellor labels an export needs before a retrain may use it",
    )
    gold_set: Path | None = Field(
        default=None, description="a gold-set manifest (default: models/data/gold/gold-v2.json, the frozen one)",
    )
    max_retries: int = Field(default=4, ge=0, le=10, description="an integer 0-10: retries per API call")
    backoff_seconds: float = Field(default=2.0, ge=0, le=60, description="a number 0-60: first retry delay")
    request_timeout_seconds: float = Field(
        default=16.0, gt=0, le=120, description="seconds (0-120] before an API request times out"
    )
    max_retry_after_seconds: float = Field(
        default=120.0, ge=0, le=900, description="a number 0-900: longest Retry-After honoured"
    )

    @field_validator("subreddits", mode="before")
    @classmethod
    def _split_subreddits(cls, value: object) -> object:
        if isinstance(value, str):
            return tuple(name.removeprefix("r/") for name in _split_commas(value))
        return value

    @field_validator("subreddits")
    @classmethod
    def _check_subreddits(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if not value:
            raise ValueError("empty")
        bad = [name for name in value if not name.replace("_", "").isalnum() or len(name) > 21]
        if bad:
            raise ValueError(f"not a subreddit name: {', '.join(bad)}")
        return value

    @field_validator("community_languages", mode="before")
    @classmethod
    def _split_community_languages(cls, value: object) -> object:
        if not isinstance(value, str):
            return value
        pairs = {}
        for item in _split_commas(value):
            community, _, language = item.partition(":")
            if not community.strip() or language.strip() not in ("fi", "sv"):
                raise ValueError(f"not community:fi or community:sv: {item!r}")
            pairs[community.strip().removeprefix("r/")] = language.strip()
        return pairs

    @field_validator("timezone")
    @classmethod
    def _check_timezone(cls, value: str) -> str:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {value!r}") from None
        return value

    @field_validator("pseudonym_previous_keys", "encryption_previous_keys", mode="before")
    @classmethod
    def _split_keys(cls, value: object) -> object:
        return _split_commas(value) if isinstance(value, str) else value

    @field_validator("pseudonym_key")
    @classmethod
    def _check_pseudonym_key(cls, value: SecretStr) -> SecretStr:
        _check_hmac_key(value)
        return value

    @field_validator("pseudonym_previous_keys")
    @classmethod
    def _check_previous_pseudonym_keys(cls, value: tuple[SecretStr, ...]) -> tuple[SecretStr, ...]:
        for key in value:
            _check_hmac_key(key)
        return value

    @field_validator("encryption_key")
    @classmethod
    def _check_encryption_key(cls, value: SecretStr) -> SecretStr:
        _check_fernet_key(value)
        return value

    @field_validator("encryption_previous_keys")
    @classmethod
    def _check_previous_encryption_keys(cls, value: tuple[SecretStr, ...]) -> tuple[SecretStr, ...]:
        for key in value:
            _check_fernet_key(key)
        return value

    @field_validator("database_url", "reddit_base_url")
    @classmethod
    def _check_url(cls, value: str | None, info: object) -> str | None:
        if value is None or value == "":
            return None
        field = getattr(info, "field_name", "")
        schemes = ("postgresql://", "postgres://", "postgresql+psycopg2://") if field == "database_url" else (
            "http://", "https://")
        if not value.startswith(schemes):
            raise ValueError("wrong scheme")
        return value.rstrip("/")

    @property
    def reddit_urls(self) -> dict[str, str]:
        """PRAW's three endpoint URLs; PRAW does not read these from ``praw_*`` env vars."""
        if self.reddit_base_url:
            base = self.reddit_base_url
            return {"oauth_url": base, "reddit_url": base, "short_url": base}
        return {"oauth_url": REDDIT_OAUTH_URL, "reddit_url": REDDIT_WWW_URL, "short_url": REDDIT_SHORT_URL}


def _describe(error: dict) -> str:
    """One line per problem: the env var, what is wrong, what is expected."""
    field = str(error["loc"][0]) if error["loc"] else "?"
    env_name = f"MAJAKKA_{field.upper()}"
    info = Settings.model_fields.get(field)
    expected = info.description if info and info.description else "a valid value"
    problem = "missing" if error["type"] == "missing" else error["msg"].removeprefix("Value error, ")
    return f"{env_name}: {problem}; expected {expected}"


def load_settings(env_file: Path | None = None) -> Settings:
    """Read and validate settings; raise :class:`ConfigError` listing every bad value."""
    file = env_file if env_file is not None else secrets_file()
    try:
        return Settings(_env_file=file if file.exists() else None)  # type: ignore[call-arg]
    except ValidationError as exc:
        raise ConfigError("\n".join(_describe(err) for err in exc.errors())) from None


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Process-wide settings, validated once."""
    return load_settings()
