"""Drafts and the service directory."""

from __future__ import annotations

import pytest

from outreach.directory import load_directory, match_services, parse_directory
from outreach.drafts import draft_message


@pytest.mark.parametrize(("language", "level"), [(lang, lvl) for lang in ("fi", "sv") for lvl in (2, 3, 4)])
def test_every_matched_service_speaks_the_language_and_suits_the_level(language, level):
    services = match_services(load_directory(), language=language, level=level)
    assert services
    assert all(language in s.languages and level in s.levels for s in services)


def test_crisis_puts_emergency_number_first():
    assert match_services(load_directory(), language="fi", level=4)[0].contact == "112"


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_draft_introduces_organisation_and_makes_declining_easy(language):
    services = match_services(load_directory(), language=language, level=3)
    text = draft_message(language=language, level=3, organisation="Esimerkki", services=services)
    assert "Esimerkki" in text
    assert ("Sinun ei tarvitse vastata" if language == "fi" else "Du behöver inte svara") in text
    assert all(s.contact in text for s in services)


def test_crisis_draft_names_emergency_number_once():
    services = match_services(load_directory(), language="sv", level=4)
    text = draft_message(language="sv", level=4, organisation="X", services=services)
    assert text.count("112") == 1


def test_directory_errors_name_the_entry():
    with pytest.raises(ValueError, match="service #1 lacks contact"):
        parse_directory("services:\n  - {id: a, name: A, country: FI, languages: [fi], hours: x, age_group: all,"
                        " region: r, levels: [2]}\n")


def test_a_partners_own_services_come_first_on_its_items_and_nowhere_else():
    directory = load_directory()
    own = match_services(directory, language="fi", level=3, partner="esimerkkila")
    national = match_services(directory, language="fi", level=3)
    other = match_services(directory, language="fi", level=3, partner="rannikko")
    assert [s.partner for s in own] == ["esimerkkila", "esimerkkila"], "one door: the partner's own two"
    assert all(s.partner is None for s in national)
    assert all(s.partner in (None, "rannikko") for s in other) and other[0].id == "rannikko-outreach"
    assert len(national) == len(own) == 2
    crisis = match_services(directory, language="fi", level=4, partner="esimerkkila")
    assert crisis[0].contact == "112", "at crisis the emergency number still comes first"


def test_a_service_of_unknown_kind_is_refused_by_name():
    entry = ('services:\n  - {id: x, name: X, country: FI, contact: "1", languages: [fi], hours: "24/7", '
             'age_group: all, region: FI, levels: [2], kind: miracle}\n')
    with pytest.raises(ValueError, match="kind 'miracle'"):
        parse_directory(entry)


def test_a_swedish_speaker_on_a_finnish_partners_item_gets_finlands_services():
    services = match_services(load_directory(), language="sv", level=3, partner="rannikko", country="FI")
    assert services and all(s.country == "FI" for s in services)
    assert services[0].id == "rannikko-outreach"
    crisis = match_services(load_directory(), language="sv", level=4, partner="rannikko", country="FI")
    assert crisis[0].contact == "112" and all(s.country == "FI" for s in crisis)
