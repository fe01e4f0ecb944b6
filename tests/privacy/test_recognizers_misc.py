"""Finnish business IDs, IP addresses, licence plates and named schools/workplaces, with their lookalikes."""

from __future__ import annotations

import pytest
from presidio_analyzer import PatternRecognizer

from privacy.recognizers.common.ip_address import IpAddressRecognizer
from privacy.recognizers.common.licence_plate import LicencePlateRecognizer
from privacy.recognizers.common.organization import OrganizationRecognizer
from privacy.recognizers.fi.business_id import BusinessIdRecognizer, business_id_check_digit
from privacy.redaction import PrivacyFilter


def spans(recognizer: PatternRecognizer, text: str) -> list[tuple[str, float]]:
    return [(text[r.start:r.end], r.score) for r in recognizer.analyze(text, recognizer.supported_entities)]


@pytest.fixture(scope="module")
def privacy_filter() -> PrivacyFilter:
    return PrivacyFilter()


@pytest.mark.parametrize(
    ("digits", "check"),
    [("0112038", 9), ("1234567", 1), ("0737546", 2), ("2331972", 7)],
)
def test_business_id_check_digit(digits: str, check: int) -> None:
    assert business_id_check_digit(digits) == check


def test_remainder_one_is_never_issued() -> None:
    assert business_id_check_digit("0000006") is None  # 6 * 2 = 12, remainder 1


@pytest.mark.parametrize("business_id", ["0112038-9", "1234567-1", "0737546-2", "2331972-7"])
def test_valid_business_ids_are_confirmed(business_id: str) -> None:
    assert spans(BusinessIdRecognizer(), f"y-tunnus {business_id}.") == [(business_id, 1.0)]


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("1234567-8", "check digit fails"),
        ("0112038-8", "check digit fails"),
        ("0000006-0", "remainder 1: never issued"),
        ("112038-9", "six digits"),
        ("0112038-9x", "glued to a letter"),
        ("12.0112038-9", "inside a longer number"),
        ("0112038-91", "two check digits"),
    ],
)
def test_business_id_lookalikes(text: str, why: str) -> None:
    assert spans(BusinessIdRecognizer(), text) == [], why


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ip 192.168.1.20 kotona", "192.168.1.20"),
        ("osoite 10.0.0.1.", "10.0.0.1"),
        ("255.255.255.255", "255.255.255.255"),
        ("2001:db8::8a2e:370:7334", "2001:db8::8a2e:370:7334"),
        ("IP 2001:0db8:0000:0000:0000:ff00:0042:8329", "2001:0db8:0000:0000:0000:ff00:0042:8329"),
        ("fe80::1%eth0", "fe80::1"),
        ("reitittimen osoite on 2001:db8::1.", "2001:db8::1"),
        ("adressen 1441:5301:b3f5:9a2c:0:12:ab:ff. Sen", "1441:5301:b3f5:9a2c:0:12:ab:ff"),
    ],
)
def test_ip_addresses_are_found(text: str, expected: str) -> None:
    assert spans(IpAddressRecognizer(), text) == [(expected, 0.6)]


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("300.1.1.1", "octet over 255"),
        ("192.168.1.256", "octet over 255"),
        ("01.2.3.4", "leading zero"),
        ("versio 1.2.3.4.5", "five parts: a version"),
        ("24.12.2024", "a date"),
        ("klo 14:30:00", "a time"),
        ("klo 14:30:00.", "a time that ends a sentence"),
        ("1:2:3", "too few groups, no '::'"),
        ("deadbeef", "no colons"),
    ],
)
def test_ip_lookalikes(text: str, why: str) -> None:
    assert spans(IpAddressRecognizer(), text) == [], why


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ABC-123", ("ABC-123", 0.55)),
        ("ÄYK-501 oli parkissa", ("ÄYK-501", 0.55)),
        ("ABC 123", ("ABC 123", 0.5)),
        ("ABC 12A", ("ABC 12A", 0.5)),
        ("AB-12", ("AB-12", 0.2)),
        ("ABC123", ("ABC123", 0.2)),
    ],
)
def test_plate_shapes_and_scores(text: str, expected: tuple) -> None:
    assert spans(LicencePlateRecognizer(), text) == [expected]


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("klo 123", "lower case"),
        ("abc-123", "lower case"),
        ("COVID-19", "five letters"),
        ("ABC-012", "Finnish numbers do not start with 0"),
        ("ABI 123", "Swedish plates never use I"),
        ("ABC 12O", "a Swedish plate never ends in O"),
        ("SOS 112", "the emergency service"),
        ("MP3", "too short"),
        ("ABCD 123", "four letters"),
        ("ABC 1234", "four digits"),
    ],
)
def test_plate_lookalikes(text: str, why: str) -> None:
    assert spans(LicencePlateRecognizer(), text) == [], why


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("käyn Kallion lukiota", "Kallion lukiota"),
        ("Käyn Ressun lukiota enkä jaksa", "Ressun lukiota"),
        ("olen töissä Prismassa ja väsyttää", "Prismassa"),
        ("olen töissä K-Citymarketissa", "K-Citymarketissa"),
        ("opiskelen Tampereen yliopistossa", "Tampereen yliopistossa"),
        ("jag går på Hvitfeldtska gymnasiet", "Hvitfeldtska gymnasiet"),
        ("jobbar på ICA Maxi i Borås", "ICA Maxi i Borås"),
        ("Jag jobbar på Lidl.", "Lidl"),
        ("pluggar på KTH", "KTH"),
        ("studerar vid Lunds universitet", "Lunds universitet"),
        ("går i Vasaskolan", "Vasaskolan"),
    ],
)
def test_named_schools_and_workplaces(text: str, expected: str) -> None:
    assert spans(OrganizationRecognizer(), text) == [(expected, 0.6)]


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("käyn koulua", "generic school"),
        ("olen töissä kaupassa", "generic shop"),
        ("jag går på gymnasiet", "generic school"),
        ("jobbet suger", "generic job"),
        ("kävin Prismassa", "a visit, not a workplace"),
        ("Prisma oli kiinni", "a name without affiliation"),
        ("jag går på bio", "not an institution"),
    ],
)
def test_organization_lookalikes(text: str, why: str) -> None:
    assert spans(OrganizationRecognizer(), text) == [], why


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("y-tunnus 0112038-9", "fi", "y-tunnus <BUSINESS_ID>"),
        ("y-tunnus 0112038-8", "fi", "y-tunnus 0112038-8"),
        ("ip 192.168.1.20", "fi", "ip <IP_ADDRESS>"),
        ("rekkari ABC-123", "fi", "rekkari <LICENCE_PLATE>"),
        ("bilen har regnummer ABC123", "sv", "bilen har regnummer <LICENCE_PLATE>"),
        ("EU-27 maat", "fi", "EU-27 maat"),
        ("olen töissä Prismassa", "fi", "olen töissä <ORGANIZATION>"),
        ("jobbar på ICA Maxi i Borås", "sv", "jobbar på <ORGANIZATION>"),
    ],
)
def test_misc_identifiers_are_redacted_by_the_filter(
    privacy_filter: PrivacyFilter, text: str, language: str, expected: str
) -> None:
    assert privacy_filter.redact(text, language).text == expected
