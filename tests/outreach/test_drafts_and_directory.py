"""Drafts and the service directory."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from outreach.directory import load_directory, match_services, parse_directory
from outreach.drafts import draft_message
from outreach.service_fit import age_cue, age_range, open_at


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
    young, parent = age_cue("olen 16 enkä jaksa"), age_cue("lapseni ei syö enää")
    own_young = match_services(directory, language="fi", level=3, partner="esimerkkila", cue=young)
    own_parent = match_services(directory, language="fi", level=3, partner="esimerkkila", cue=parent)
    national = match_services(directory, language="fi", level=3, cue=young)
    other = match_services(directory, language="fi", level=3, partner="rannikko", cue=young)
    assert own_young[0].id == "esimerkkila-youth-chat" and own_parent[0].id == "esimerkkila-family-voucher"
    assert all(s.partner is None for s in national)
    assert all(s.partner in (None, "rannikko") for s in other) and other[0].id == "rannikko-outreach"
    assert len(national) == len(own_young) == 2, "one door: two services, not a list"
    crisis = match_services(directory, language="fi", level=4, partner="esimerkkila", cue=young)
    assert crisis[0].contact == "112", "at crisis the emergency number still comes first"


def test_services_for_the_young_or_for_families_need_a_cue_in_the_post():
    directory = load_directory()
    adult = match_services(directory, language="fi", level=3, partner="esimerkkila", limit=20)
    assert all(s.age_group == "all" for s in adult), "no cue: only services for everyone"
    retired = match_services(directory, language="sv", level=3, cue=age_cue("jag är pensionär"), limit=20)
    assert "se-bris" not in {s.id for s in retired} and retired, "BRIS (under 18) is never offered to a pensioner"
    teen = match_services(directory, language="sv", level=3, cue=age_cue("Jag är 15 år och orkar inte"), limit=20)
    assert "se-bris" in {s.id for s in teen}


@pytest.mark.parametrize(("text", "age", "parent"), [
    ("olen 16 ja kaikki vihaa mua", 16, False), ("16-vuotias tyttö täällä", 16, False), ("Oon 15.", 15, False),
    ("mä oon ysillä", 16, False), ("jag är 14 och ingen bryr sig", 14, False), ("går på gymnasiet", 16, False),
    ("olen eläkkeellä ja yksin", 70, False), ("min son mår dåligt", None, True), ("lapseni ei syö", None, True)])
def test_age_cues_are_read_from_the_post(text, age, parent):
    cue = age_cue(text)
    assert cue is not None and cue.age == age and cue.parent == parent and cue.evidence.lower() in text.lower()


@pytest.mark.parametrize("text", ["olen 15 min myöhässä", "jag har mått dåligt i 15 år", "kello 15.30",
                                  "ihan tavallinen päivä"])
def test_numbers_that_are_not_ages_give_no_cue(text):
    assert age_cue(text) is None


@pytest.mark.parametrize(("group", "ages"), [("all", None), ("under 18", (0, 17)), ("15-29", (15, 29)),
                                             ("families with children", "families"), ("65+", (65, 120)),
                                             ("yli 65-vuotiaat", (65, 120))])
def test_age_groups_are_read_as_people_write_them(group, ages):
    assert age_range(group) == ages


def test_opening_hours_are_read_in_the_services_own_time_zone():
    tuesday_evening, tuesday_noon = datetime(2026, 12, 8, 20, tzinfo=UTC), datetime(2026, 12, 8, 10, tzinfo=UTC)
    assert open_at("ma-pe 9-16", "FI", tuesday_noon) is True and open_at("ma-pe 9-16", "FI", tuesday_evening) is False
    assert open_at("mån-fre 9-16", "SE", datetime(2026, 12, 12, 10, tzinfo=UTC)) is False  # a Saturday
    assert open_at("24/7", "FI", tuesday_evening) is True and open_at("dygnet runt", "SE", tuesday_evening) is True
    assert open_at("katso sekasin.fi", "FI", tuesday_noon) is None, "unreadable hours are unknown, not closed"
    directory = load_directory()
    cue = age_cue("olen 16")
    afternoon = match_services(directory, language="fi", level=3, partner="esimerkkila", cue=cue,
                               when=datetime(2026, 12, 8, 13, tzinfo=UTC))  # 15:00 in Helsinki: the chat is open
    evening = match_services(directory, language="fi", level=3, partner="esimerkkila", cue=cue, limit=20,
                             when=datetime(2026, 12, 8, 21, tzinfo=UTC))  # 23:00: closed, offered after open ones
    assert afternoon[0].id == "esimerkkila-youth-chat"
    assert evening[0].id != "esimerkkila-youth-chat" and "esimerkkila-youth-chat" in {s.id for s in evening}


def test_a_service_of_unknown_kind_is_refused_by_name():
    entry = ('services:\n  - {id: x, name: X, country: FI, contact: "1", languages: [fi], hours: "24/7", '
             'age_group: all, region: FI, levels: [2], kind: miracle}\n')
    with pytest.raises(ValueError, match="kind 'miracle'"):
        parse_directory(entry)


def test_a_swedish_speaker_on_a_finnish_partners_item_gets_finlands_services():
    young = age_cue("jag är 17")
    services = match_services(load_directory(), language="sv", level=3, partner="rannikko", country="FI", cue=young)
    assert services and all(s.country == "FI" for s in services)
    assert services[0].id == "rannikko-outreach"
    crisis = match_services(load_directory(), language="sv", level=4, partner="rannikko", country="FI")
    assert crisis[0].contact == "112" and all(s.country == "FI" for s in crisis)


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_a_crisis_draft_names_one_emergency_number_and_still_offers_a_service(language):
    services = match_services(load_directory(), language=language, level=4)
    assert [s.kind for s in services].count("emergency") == 1 and len(services) == 2
    expected_home = "FI" if language == "fi" else "SE"
    assert services[0].country == expected_home, "the emergency number of the language's home country"
    text = draft_message(language=language, level=4, organisation="X", services=services)
    assert services[1].contact in text


@pytest.mark.parametrize(("organisation", "joined"), [
    ("Majakka", "Kirjoitan Majakka-palvelusta"), ("Vaasan nuorten chat", "Kirjoitan Vaasan nuorten chat -palvelusta")])
def test_the_finnish_draft_joins_the_service_name_as_finnish_does(organisation, joined):
    assert joined in draft_message(language="fi", level=3, organisation=organisation, services=[])


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_every_tone_says_the_same_things_in_its_own_words(language):
    from outreach.drafts import TONES

    services = match_services(load_directory(), language=language, level=4)
    drafts = {tone: draft_message(language=language, level=4, organisation="Vaasan chat", services=services,
                                  tone=tone) for tone in TONES}
    assert len({text.splitlines()[0] for text in drafts.values()}) == len(TONES), "each tone opens differently"
    for text in drafts.values():
        assert "Vaasan chat" in text and text.count("112") == 1
        assert ("Sinun ei tarvitse vastata" if language == "fi" else "Du behöver inte svara") in text
