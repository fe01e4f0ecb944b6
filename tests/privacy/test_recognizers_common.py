"""Phone numbers, e-mail addresses, URLs, IBANs and user handles: what must be found, and what must not."""

from __future__ import annotations

import pytest
from presidio_analyzer import PatternRecognizer

from privacy.recognizers import LANGUAGE_RECOGNIZER_CLASSES, RECOGNIZER_CLASSES, build_recognizers
from privacy.recognizers.common.email import EmailAddressRecognizer
from privacy.recognizers.common.handle import UserHandleRecognizer
from privacy.recognizers.common.iban import IbanCodeRecognizer
from privacy.recognizers.common.phone import NordicPhoneRecognizer
from privacy.recognizers.common.url import WebAddressRecognizer


def found(recognizer: PatternRecognizer, text: str) -> list[str]:
    return [text[r.start:r.end] for r in recognizer.analyze(text, recognizer.supported_entities)]


@pytest.fixture(scope="module")
def phone() -> NordicPhoneRecognizer:
    return NordicPhoneRecognizer()


@pytest.mark.parametrize(
    "number",
    [
        "040 123 4567", "0401234567", "+358 40 123 4567", "+358401234567", "00358 40 123 4567",
        "050-123 4567", "(09) 123 4567", "09 1234 567", "+358 (0)40 123 4567",
        "070-123 45 67", "+46 70 123 45 67", "08-123 456 78", "031-12 34 56", "0701234567",
        "+46 (0)70-123 45 67", "+44 20 7946 0958",
    ],
)
def test_phone_numbers_are_found(phone: NordicPhoneRecognizer, number: str) -> None:
    assert found(phone, f"soita {number}, kiitos") == [number]


@pytest.mark.parametrize(
    "text",
    [
        "vuonna 2024", "klo 14.30", "kl. 09:30", "3 500 €", "1 200 000 euroa", "24.12.2024", "2024-01-15",
        "00100 Helsinki", "Y-tunnus 0112038-9", "112", "116 111", "1177", "90101", "+3 500 €", "@14",
        "https://example.fi/0401234567", "0401234567890123", "040 123",
    ],
)
def test_phone_lookalikes_are_not_found(phone: NordicPhoneRecognizer, text: str) -> None:
    assert found(phone, text) == []


def test_phone_scores_are_graded_and_context_is_declared(phone: NordicPhoneRecognizer) -> None:
    scores = {p.name.split(" (")[0]: p.score for p in phone.patterns}
    assert scores["international FI/SE"] > scores["national grouped"] > scores["national unbroken"]
    assert "puh" in phone.context and "ring" in phone.context


def test_phone_stops_before_a_following_slash_number(phone: NordicPhoneRecognizer) -> None:
    assert found(phone, "kriisipuhelin 09 2525 0111 24/7") == ["09 2525 0111"]


@pytest.fixture(scope="module")
def email() -> EmailAddressRecognizer:
    return EmailAddressRecognizer()


@pytest.mark.parametrize(
    "address",
    [
        "matti.meikalainen@example.fi", "anna+kela@mail.example.se", "Päivi_K@example.com",
        "matti (at) example.fi", "matti [at] example [piste] fi", "anna(snabel-a)example(punkt)se",
        "matti (miukumauku) example.fi",
    ],
)
def test_email_addresses_are_found(email: EmailAddressRecognizer, address: str) -> None:
    assert found(email, f"laita viestiä {address}.") == [address]


@pytest.mark.parametrize(
    "text", ["@matti_m", "matti@", "matti@localhost", "osoite on matti at example", "a @ b.fi", "3@4"],
)
def test_email_lookalikes_are_not_found(email: EmailAddressRecognizer, text: str) -> None:
    assert found(email, text) == []


@pytest.fixture(scope="module")
def url() -> WebAddressRecognizer:
    return WebAddressRecognizer()


@pytest.mark.parametrize(
    "link",
    [
        "https://www.reddit.com/user/matti_m", "http://example.fi/polku?x=1&y=2", "www.example.fi",
        "www.example.se/sida", "example.fi", "example.fi/polku", "1177.se/Stockholm", "t.me/matti_m",
        "gofundme.com/f/auta-mattia",
    ],
)
def test_urls_are_found(url: WebAddressRecognizer, link: str) -> None:
    assert found(url, f"katso {link}. Tai ({link}), kiitos") == [link, link]


@pytest.mark.parametrize(
    "text",
    [
        "klo 14.30", "v. 2.0", "esim. fi", "en jaksa.Se on liikaa", "ok.No niin", "matti@example.fi",
        "r/Suomi", "3.5 mg", "kysyin.FI",
    ],
)
def test_url_lookalikes_are_not_found(url: WebAddressRecognizer, text: str) -> None:
    assert found(url, text) == []


@pytest.fixture(scope="module")
def iban() -> IbanCodeRecognizer:
    return IbanCodeRecognizer()


@pytest.mark.parametrize(
    "account",
    [
        "FI21 1234 5600 0007 85", "FI2112345600000785", "fi21 1234 5600 0007 85", "FI21-1234-5600-0007-85",
        "SE45 5000 0000 0583 9825 7466", "SE4550000000058398257466", "DE89 3704 0044 0532 0130 00",
        "GB82 WEST 1234 5698 7654 32", "NL91ABNA0417164300", "FR14 2004 1010 0505 0001 3M02 606",
    ],
)
def test_ibans_are_confirmed(iban: IbanCodeRecognizer, account: str) -> None:
    results = iban.analyze(f"tilinumero {account} kiitos", ["IBAN_CODE"])
    assert [(f"tilinumero {account} kiitos"[r.start:r.end], r.score) for r in results] == [(account, 1.0)]


def test_iban_followed_by_an_amount_is_still_found(iban: IbanCodeRecognizer) -> None:
    text = "swisha eller SE45 5000 0000 0583 9825 7466 1000 kr"
    assert found(iban, text) == ["SE45 5000 0000 0583 9825 7466"]


@pytest.mark.parametrize(
    "text",
    [
        "FI21 1234 5600 0007 86", "SE45 5000 0000 0583 9825 7467", "FI2112345600000786",
        "XFI2112345600000785", "FI21 1234", "ab12 cdef ghij", "2024 1234 5600 0007 85",
    ],
)
def test_iban_lookalikes_are_not_found(iban: IbanCodeRecognizer, text: str) -> None:
    assert found(iban, text) == []


@pytest.fixture(scope="module")
def handle() -> UserHandleRecognizer:
    return UserHandleRecognizer()


@pytest.mark.parametrize("name", ["u/matti_m", "/u/Matti-M", "@matti.m", "@anna_k", "@Matti2000"])
def test_handles_are_found(handle: UserHandleRecognizer, name: str) -> None:
    assert found(handle, f"DM {name}, kiitos") == [name]


@pytest.mark.parametrize(
    "text",
    [
        "matti@example.fi", "r/Suomi", "https://www.reddit.com/u/matti_m", "u/ab", "tavataan @ kahvila",
        "@14", "klo 18 @ 2", "meni/u/matti",
    ],
)
def test_handle_lookalikes_are_not_found(handle: UserHandleRecognizer, text: str) -> None:
    assert found(handle, text) == []


def test_build_recognizers_gives_one_instance_per_recognizer_and_language() -> None:
    recognizers = build_recognizers(("fi", "sv"))
    for language in ("fi", "sv"):
        built = [type(r) for r in recognizers if r.supported_language == language]
        assert built == [*RECOGNIZER_CLASSES, *LANGUAGE_RECOGNIZER_CLASSES[language]]
    assert len({id(r) for r in recognizers}) == len(recognizers)
    assert all(isinstance(r, PatternRecognizer) for r in recognizers if type(r) in RECOGNIZER_CLASSES)
