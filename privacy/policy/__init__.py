"""The redaction policy: versioned data in ``filter_policy.yaml``, validated once at start-up.

The rules live in data, not code, so that a change to what is redacted and how is a
reviewed diff with a version bump, and that version is stored beside every redacted
text. A policy that cannot be read must stop the filter with a message naming the key,
never degrade into redacting less.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from types import MappingProxyType

import yaml

DEFAULT_POLICY_PATH = Path(__file__).with_name("filter_policy.yaml")

_KEYS = ("version", "entities", "allow_list")
_RULE_KEYS = ("placeholder", "threshold")
_VERSION = re.compile(r"filter-\d+\.\d+\.\d+")
_ENTITY = re.compile(r"[A-Z][A-Z0-9_]*")
_PLACEHOLDER = re.compile(r"<[A-Z][A-Z0-9_]*>")
_URL_PREFIX = re.compile(r"^(?:https?://)?(?:www\.)?")
_SEPARATORS = re.compile(r"[\s\-()]")


class PolicyError(ValueError):
    """The policy is malformed; the message names the file and the offending key."""


@dataclass(frozen=True)
class EntityRule:
    """How one entity type is redacted: its typed placeholder and the minimum score that counts."""

    placeholder: str
    threshold: float


@dataclass(frozen=True)
class FilterPolicy:
    """A validated policy; ``version`` is recorded with every redaction made under it."""

    version: str
    rules: Mapping[str, EntityRule]
    allow_list: tuple[str, ...]

    def allows(self, text: str, entity_type: str | None = None) -> bool:
        """True if ``text`` is an allow-listed string, ignoring how it is spaced, bracketed or cased; or, for a
        phone number or postcode detection, if its only digits are an allow-listed number ("Självmordslinjen
        90101" names a help line, not a town and postcode; "Hämeenkatu 112" is still an address)."""
        normalised = _normalise(text)
        if normalised in self._allowed:
            return True
        if entity_type not in NUMBER_ENTITIES:
            return False
        return any(number in normalised and not any(char.isdigit() for char in normalised.replace(number, "", 1))
                   for number in self._allowed_numbers)

    @cached_property
    def _allowed(self) -> frozenset[str]:
        return frozenset(_normalise(entry) for entry in self.allow_list)

    @cached_property
    def _allowed_numbers(self) -> frozenset[str]:
        return frozenset(entry for entry in self._allowed if entry.lstrip("+").isdigit())


#: Detections whose identifying part is a number: an allow-listed number inside one keeps it.
NUMBER_ENTITIES = frozenset({"PHONE_NUMBER", "POSTCODE"})


def _normalise(text: str) -> str:
    text = _URL_PREFIX.sub("", text.strip().casefold()).rstrip("/")
    return _SEPARATORS.sub("", text)


def load_policy(path: Path = DEFAULT_POLICY_PATH) -> FilterPolicy:
    """Read and validate a policy file (by default the one shipped beside this module)."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise PolicyError(f"{path}: not valid YAML: {error}") from None
    return parse_policy(data, source=str(path))


def parse_policy(data: object, source: str = "policy") -> FilterPolicy:
    """Validate an already-parsed policy document; ``source`` prefixes every error message."""
    document = _mapping(data, source, "(document)")
    _check_keys(document, _KEYS, source, "")
    version = document["version"]
    if not isinstance(version, str) or not _VERSION.fullmatch(version):
        raise PolicyError(f"{source}: version: expected 'filter-MAJOR.MINOR.PATCH', got {version!r}")
    entities = _mapping(document["entities"], source, "entities")
    if not entities:
        raise PolicyError(f"{source}: entities: at least one entity rule is required")
    rules = {name: _parse_rule(name, rule, source) for name, rule in entities.items()}
    return FilterPolicy(
        version=version,
        rules=MappingProxyType(rules),
        allow_list=_parse_allow_list(document["allow_list"], source),
    )


def _parse_rule(name: object, rule: object, source: str) -> EntityRule:
    where = f"entities.{name}"
    if not isinstance(name, str) or not _ENTITY.fullmatch(name):
        raise PolicyError(f"{source}: {where}: entity names are UPPER_SNAKE_CASE, got {name!r}")
    fields = _mapping(rule, source, where)
    _check_keys(fields, _RULE_KEYS, source, f"{where}.")
    placeholder, threshold = fields["placeholder"], fields["threshold"]
    if not isinstance(placeholder, str) or not _PLACEHOLDER.fullmatch(placeholder):
        raise PolicyError(
            f"{source}: {where}.placeholder: expected a typed placeholder like '<PHONE>', got {placeholder!r}"
        )
    if isinstance(threshold, bool) or not isinstance(threshold, int | float) or not 0 <= threshold <= 1:
        raise PolicyError(f"{source}: {where}.threshold: expected a number from 0 to 1, got {threshold!r}")
    return EntityRule(placeholder=placeholder, threshold=float(threshold))


def _parse_allow_list(entries: object, source: str) -> tuple[str, ...]:
    if not isinstance(entries, list):
        raise PolicyError(f"{source}: allow_list: expected a list of strings, got {type(entries).__name__}")
    for index, entry in enumerate(entries):
        if not isinstance(entry, str) or not entry.strip():
            raise PolicyError(f"{source}: allow_list[{index}]: expected a non-empty string, got {entry!r}")
    return tuple(entries)


def _mapping(value: object, source: str, where: str) -> Mapping[object, object]:
    if not isinstance(value, Mapping):
        raise PolicyError(f"{source}: {where}: expected a mapping, got {type(value).__name__}")
    return value


def _check_keys(mapping: Mapping, expected: tuple[str, ...], source: str, prefix: str) -> None:
    for key in expected:
        if key not in mapping:
            raise PolicyError(f"{source}: {prefix}{key}: missing")
    for key in mapping:
        if key not in expected:
            raise PolicyError(f"{source}: {prefix}{key}: unknown key (expected {', '.join(expected)})")
