"""Configuration: one clear line per bad setting, no secret defaults, PRAW endpoints."""

from __future__ import annotations

import pytest

from core.config import DEFAULT_SUBREDDITS, REDDIT_OAUTH_URL, ConfigError, load_settings


@pytest.fixture
def no_file(tmp_path):
    return tmp_path / "absent.env"


def test_defaults_cover_finnish_and_swedish_communities(no_file):
    settings = load_settings(no_file)
    assert settings.subreddits == DEFAULT_SUBREDDITS
    assert {"Suomi", "sweden"} <= set(settings.subreddits)
    assert settings.reddit_urls["oauth_url"] == REDDIT_OAUTH_URL


@pytest.mark.parametrize("name", ["MAJAKKA_PSEUDONYM_KEY", "MAJAKKA_ENCRYPTION_KEY", "MAJAKKA_REDDIT_CLIENT_ID",
                                  "MAJAKKA_REDDIT_CLIENT_SECRET"])
def test_each_secret_is_required(monkeypatch, no_file, name):
    monkeypatch.delenv(name)
    with pytest.raises(ConfigError) as caught:
        load_settings(no_file)
    lines = str(caught.value).splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"{name}: missing; expected ")


@pytest.mark.parametrize(("name", "value", "fragment"), [
    ("MAJAKKA_ENCRYPTION_KEY", "not-a-key", "MAJAKKA_ENCRYPTION_KEY: "),
    ("MAJAKKA_PSEUDONYM_KEY", "short", "MAJAKKA_PSEUDONYM_KEY: too short; expected a secret of at least 32"),
    ("MAJAKKA_DATABASE_URL", "mysql://x", "MAJAKKA_DATABASE_URL: wrong scheme; expected a PostgreSQL URL"),
    ("MAJAKKA_REDDIT_BASE_URL", "ftp://x", "MAJAKKA_REDDIT_BASE_URL: wrong scheme"),
    ("MAJAKKA_SUBREDDITS", "Suomi, not valid!", "MAJAKKA_SUBREDDITS: not a subreddit name: not valid!"),
    ("MAJAKKA_SUBREDDITS", " , ", "MAJAKKA_SUBREDDITS: empty"),
    ("MAJAKKA_FETCH_LIMIT", "lots", "MAJAKKA_FETCH_LIMIT: "),
])
def test_invalid_values_name_the_setting(monkeypatch, no_file, name, value, fragment):
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError, match="^" + fragment.replace("(", r"\(").replace("!", "!")):
        load_settings(no_file)


def test_several_errors_are_all_reported(monkeypatch, no_file):
    monkeypatch.delenv("MAJAKKA_PSEUDONYM_KEY")
    monkeypatch.setenv("MAJAKKA_RETENTION_DAYS", "0")
    with pytest.raises(ConfigError) as caught:
        load_settings(no_file)
    assert len(str(caught.value).splitlines()) == 2


def test_base_url_points_all_three_praw_endpoints(monkeypatch, no_file):
    monkeypatch.setenv("MAJAKKA_REDDIT_BASE_URL", "http://127.0.0.1:9999/")
    urls = load_settings(no_file).reddit_urls
    assert urls == {"oauth_url": "http://127.0.0.1:9999", "reddit_url": "http://127.0.0.1:9999",
                    "short_url": "http://127.0.0.1:9999"}


def test_subreddits_are_comma_separated_and_trimmed(monkeypatch, no_file):
    monkeypatch.setenv("MAJAKKA_SUBREDDITS", " Suomi ,r/arkisuomi,sweden ")
    assert load_settings(no_file).subreddits == ("Suomi", "arkisuomi", "sweden")


def test_env_file_supplies_secrets(monkeypatch, tmp_path):
    monkeypatch.delenv("MAJAKKA_REDDIT_CLIENT_ID")
    env_file = tmp_path / "secrets.env"
    env_file.write_text("MAJAKKA_REDDIT_CLIENT_ID=from-file\n")
    assert load_settings(env_file).reddit_client_id.get_secret_value() == "from-file"
