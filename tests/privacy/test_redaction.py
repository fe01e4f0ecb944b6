"""The whole filter: placeholders, untouched distress text, allow-list, versions, policy errors, odd input."""

from __future__ import annotations

import dataclasses
import socket
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from privacy.policy import DEFAULT_POLICY_PATH, PolicyError, load_policy, parse_policy
from privacy.redaction import DetectedEntity, PrivacyFilter, resolve_overlaps

VERSION = "filter-3.0.0"


@pytest.fixture(scope="module")
def privacy_filter() -> PrivacyFilter:
    return PrivacyFilter()


def shipped_policy_data() -> dict:
    return yaml.safe_load(DEFAULT_POLICY_PATH.read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("en jaksa enää, soita 040 123 4567", "fi", "en jaksa enää, soita <PHONE>"),
        ("jag orkar inte mer, ring 070-123 45 67 ikväll", "sv", "jag orkar inte mer, ring <PHONE> ikväll"),
        ("hetu 131052-308T, mitä teen", "fi", "hetu <FI_PERSONAL_IDENTITY_CODE>, mitä teen"),
        ("personnummer 811228-9874, hjälp", "sv", "personnummer <SE_PERSONAL_IDENTITY_NUMBER>, hjälp"),
        ("personnummer 8112289874", "sv", "personnummer <SE_PERSONAL_IDENTITY_NUMBER>"),
        ("kirjoita matti.m@example.fi jos jaksat", "fi", "kirjoita <EMAIL> jos jaksat"),
        ("blogi: https://example.fi/matti, lue se", "fi", "blogi: <URL>, lue se"),
        ("keräys tilille FI21 1234 5600 0007 85 kiitos", "fi", "keräys tilille <IBAN> kiitos"),
        ("DM u/matti_m tai @matti.m", "fi", "DM <HANDLE> tai <HANDLE>"),
        ("profiili https://www.reddit.com/u/matti_m :(", "fi", "profiili <URL> :("),
        ("Vuonna 2024 klo 14.30 maksoin 3 500 € vuokraa 24.12.", "fi",
         "Vuonna 2024 klo 14.30 maksoin 3 500 € vuokraa 24.12."),
        ("", "fi", ""),
        ("😭😭😭 🫠", "sv", "😭😭😭 🫠"),
    ],
)
def test_identifiers_become_placeholders_and_nothing_else_changes(
    privacy_filter: PrivacyFilter, text: str, language: str, expected: str
) -> None:
    assert privacy_filter.redact(text, language).text == expected


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_mixed_language_post_is_redacted_whichever_language_was_detected(
    privacy_filter: PrivacyFilter, language: str
) -> None:
    text = "Mä asun Tukholmassa. Mitt nummer är +46 70 123 45 67, hetu 010594Y9021. so tired 😞"
    expected = "Mä asun Tukholmassa. Mitt nummer är <PHONE>, hetu <FI_PERSONAL_IDENTITY_CODE>. so tired 😞"
    assert privacy_filter.redact(text, language).text == expected


@pytest.mark.parametrize(
    "text",
    [
        "Soita MIELI:n kriisipuhelimeen 09 2525 0111 tai hätänumeroon 112.",
        "kriisipuhelin 09-2525 0111 päivystää",
        "(09) 2525 0111",
        "from abroad +358 9 2525 0111",
        "Självmordslinjen 90101, 1177 eller 116 111",
        "lue https://www.mieli.fi/ tai mind.se",
    ],
)
def test_allow_listed_help_lines_survive(privacy_filter: PrivacyFilter, text: str) -> None:
    redaction = privacy_filter.redact(text, "fi")
    assert redaction.text == text
    assert redaction.entities == ()


def test_allow_list_keeps_the_help_line_but_not_the_private_number(privacy_filter: PrivacyFilter) -> None:
    text = "soita 09 2525 0111 tai mulle 040 123 4567"
    assert privacy_filter.redact(text, "fi").text == "soita 09 2525 0111 tai mulle <PHONE>"


def test_redaction_records_the_version_and_where_things_were(privacy_filter: PrivacyFilter) -> None:
    text = "soita 040 123 4567 tai matti@example.fi"
    redaction = privacy_filter.redact(text, "fi")
    assert privacy_filter.version == redaction.filter_version == VERSION
    assert [(e.type, text[e.start:e.end]) for e in redaction.entities] == [
        ("PHONE_NUMBER", "040 123 4567"),
        ("EMAIL_ADDRESS", "matti@example.fi"),
    ]
    assert all(0 < e.score <= 1 for e in redaction.entities)
    assert privacy_filter.redact("ei mitään", "fi").filter_version == VERSION


def test_detect_reports_what_redact_replaces(privacy_filter: PrivacyFilter) -> None:
    text = "soita 040 123 4567"
    assert privacy_filter.detect(text, "fi") == list(privacy_filter.redact(text, "fi").entities)


def test_long_text_is_redacted_end_to_end(privacy_filter: PrivacyFilter) -> None:
    head, tail = "040 123 4567 ", " matti@example.fi"
    filler = ("en jaksa enää, kukaan ei ymmärrä. " * 600)[: 20_000 - len(head) - len(tail)]
    text = head + filler + tail
    assert len(text) == 20_000
    redaction = privacy_filter.redact(text, "fi")
    assert [e.type for e in redaction.entities] == ["PHONE_NUMBER", "EMAIL_ADDRESS"]
    assert redaction.text == f"<PHONE> {filler} <EMAIL>"


@pytest.mark.parametrize(
    "text",
    ["soita 040 123 4567", "hetu 131052-308T ja tili FI21 1234 5600 0007 85", "u/matti_m matti@example.fi"],
)
def test_placeholders_are_not_redacted_again(privacy_filter: PrivacyFilter, text: str) -> None:
    once = privacy_filter.redact(text, "fi").text
    assert privacy_filter.redact(once, "fi").text == once


def test_unsupported_language_is_refused(privacy_filter: PrivacyFilter) -> None:
    with pytest.raises(ValueError, match="'en' is not supported"):
        privacy_filter.redact("call 040 123 4567", "en")


def test_policy_threshold_and_placeholder_are_applied() -> None:
    data = shipped_policy_data()
    data["version"] = "filter-1.1.0"
    data["entities"]["PHONE_NUMBER"]["threshold"] = 0.95
    data["entities"]["EMAIL_ADDRESS"]["placeholder"] = "<SPOSTI>"
    strict = PrivacyFilter(parse_policy(data))
    redaction = strict.redact("soita 040 123 4567 tai matti@example.fi", "fi")
    assert redaction.text == "soita 040 123 4567 tai <SPOSTI>"
    assert redaction.filter_version == "filter-1.1.0"


def test_shipped_policy_has_the_documented_placeholders() -> None:
    policy = load_policy()
    assert policy.version == VERSION
    assert {entity: rule.placeholder for entity, rule in policy.rules.items()} == {
        "FI_PERSONAL_IDENTITY_CODE": "<FI_PERSONAL_IDENTITY_CODE>",
        "SE_PERSONAL_IDENTITY_NUMBER": "<SE_PERSONAL_IDENTITY_NUMBER>",
        "PHONE_NUMBER": "<PHONE>",
        "EMAIL_ADDRESS": "<EMAIL>",
        "URL": "<URL>",
        "IBAN_CODE": "<IBAN>",
        "USER_HANDLE": "<HANDLE>",
        "AUTHOR_NAME": "<HANDLE>",
        "PERSON": "<PERSON>",
        "STREET_ADDRESS": "<ADDRESS>",
        "POSTCODE": "<POSTCODE>",
        "FI_BUSINESS_ID": "<BUSINESS_ID>",
        "IP_ADDRESS": "<IP_ADDRESS>",
        "LICENCE_PLATE": "<LICENCE_PLATE>",
        "ORGANIZATION": "<ORGANIZATION>",
    }
    with pytest.raises(dataclasses.FrozenInstanceError):
        policy.version = "filter-9.9.9"  # type: ignore[misc]


def _set(path: str, value: object) -> Callable[[dict], None]:
    def mutate(data: dict) -> None:
        *parents, last = path.split(".")
        for key in parents:
            data = data[key]
        data[last] = value
    return mutate


def _delete(key: str) -> Callable[[dict], None]:
    return lambda data: data.pop(key)


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (_delete("version"), "version: missing"),
        (_set("version", "1.0"), "version: expected 'filter-MAJOR.MINOR.PATCH', got '1.0'"),
        (_set("alow_list", []), "alow_list: unknown key"),
        (_delete("allow_list"), "allow_list: missing"),
        (_set("entities", []), "entities: expected a mapping"),
        (_set("entities", {}), "entities: at least one entity rule"),
        (_set("entities.phone", {"placeholder": "<P>", "threshold": 0.4}), "entities.phone: entity names"),
        (_set("entities.URL.threshold", 1.5), "entities.URL.threshold: expected a number from 0 to 1"),
        (_set("entities.URL.threshold", "0.4"), "entities.URL.threshold: expected a number from 0 to 1"),
        (_set("entities.URL.threshold", True), "entities.URL.threshold: expected a number from 0 to 1"),
        (_set("entities.URL.placeholder", "URL"), "entities.URL.placeholder: expected a typed placeholder"),
        (_set("entities.URL.operator", "replace"), "entities.URL.operator: unknown key"),
        (_set("entities.URL", {"placeholder": "<URL>"}), "entities.URL.threshold: missing"),
        (_set("allow_list", "112"), "allow_list: expected a list"),
        (_set("allow_list", ["112", ""]), "allow_list[1]: expected a non-empty string"),
    ],
)
def test_policy_errors_name_the_bad_key(mutate: Callable[[dict], None], message: str) -> None:
    data = shipped_policy_data()
    mutate(data)
    with pytest.raises(PolicyError, match=message.replace("[", r"\[").replace("]", r"\]")) as error:
        parse_policy(data, source="test.yaml")
    assert str(error.value).startswith("test.yaml: ")


def test_policy_without_a_rule_for_a_recognized_entity_is_refused() -> None:
    data = shipped_policy_data()
    del data["entities"]["IBAN_CODE"]
    with pytest.raises(PolicyError, match="no rule for IBAN_CODE"):
        PrivacyFilter(parse_policy(data))


@pytest.mark.parametrize(
    ("content", "message"), [("version: [", "not valid YAML"), ("", "expected a mapping")]
)
def test_unreadable_policy_file_names_the_file(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(PolicyError, match=message) as error:
        load_policy(path)
    assert str(path) in str(error.value)


def ent(kind: str, start: int, end: int, score: float) -> DetectedEntity:
    return DetectedEntity(kind, start, end, score)


@pytest.mark.parametrize(
    ("entities", "expected"),
    [
        ([ent("PHONE_NUMBER", 0, 10, 0.5), ent("IBAN_CODE", 5, 20, 1.0)], [ent("IBAN_CODE", 0, 20, 1.0)]),
        ([ent("USER_HANDLE", 10, 20, 0.8), ent("URL", 0, 30, 0.8)], [ent("URL", 0, 30, 0.8)]),
        ([ent("URL", 0, 5, 0.5), ent("URL", 5, 10, 0.5)], [ent("URL", 0, 5, 0.5), ent("URL", 5, 10, 0.5)]),
        (
            [ent("URL", 7, 12, 0.5), ent("URL", 0, 5, 0.9), ent("PHONE_NUMBER", 4, 8, 0.6)],
            [ent("URL", 0, 12, 0.9)],
        ),
        ([], []),
    ],
)
def test_overlaps_merge_under_the_best_detection(
    entities: list[DetectedEntity], expected: list[DetectedEntity]
) -> None:
    assert resolve_overlaps(entities) == expected


def test_filter_never_touches_the_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the privacy filter tried to open a network connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    fresh = PrivacyFilter()
    text = "www.example.fi matti@example.fi +358 40 123 4567 FI21 1234 5600 0007 85"
    assert fresh.redact(text, "sv").text == "<URL> <EMAIL> <PHONE> <IBAN>"
