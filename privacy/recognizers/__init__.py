"""Pattern recognizers for the privacy filter, one per file, grouped by country.

Presidio binds each recognizer instance to a single language, so the registry gets one
instance of every recognizer per language even though the patterns themselves are
language-neutral: a Swedish personnummer in a Finnish post must still be found. Later
recognizers (names, addresses) join by being added to ``RECOGNIZER_CLASSES`` or built
beside these; nothing here assumes the list is final.
"""

from __future__ import annotations

from collections.abc import Iterable

from presidio_analyzer import EntityRecognizer

from privacy.recognizers.common.email import EmailAddressRecognizer
from privacy.recognizers.common.handle import UserHandleRecognizer
from privacy.recognizers.common.iban import IbanCodeRecognizer
from privacy.recognizers.common.ip_address import IpAddressRecognizer
from privacy.recognizers.common.licence_plate import LicencePlateRecognizer
from privacy.recognizers.common.organization import OrganizationRecognizer
from privacy.recognizers.common.phone import NordicPhoneRecognizer
from privacy.recognizers.common.tagged_name import TaggedNameRecognizer
from privacy.recognizers.common.url import WebAddressRecognizer
from privacy.recognizers.fi.address import FinnishPostcodeRecognizer, FinnishStreetAddressRecognizer
from privacy.recognizers.fi.business_id import BusinessIdRecognizer
from privacy.recognizers.fi.henkilotunnus import HenkilotunnusRecognizer
from privacy.recognizers.fi.person import FinnishPersonRecognizer
from privacy.recognizers.se.address import SwedishAddressRecognizer, SwedishPostcodeRecognizer
from privacy.recognizers.se.person import SwedishPersonRecognizer
from privacy.recognizers.se.personnummer import PersonnummerRecognizer

RECOGNIZER_CLASSES = (
    HenkilotunnusRecognizer,
    PersonnummerRecognizer,
    NordicPhoneRecognizer,
    EmailAddressRecognizer,
    WebAddressRecognizer,
    IbanCodeRecognizer,
    UserHandleRecognizer,
    FinnishStreetAddressRecognizer,
    FinnishPostcodeRecognizer,
    SwedishAddressRecognizer,
    SwedishPostcodeRecognizer,
    BusinessIdRecognizer,
    IpAddressRecognizer,
    LicencePlateRecognizer,
    OrganizationRecognizer,
)

#: Recognizers that read the NLP engine's analysis (the name tagger's spans, tokens) or only make
#: sense in their own language: a Finnish name finder needs Finnish morphology.
LANGUAGE_RECOGNIZER_CLASSES: dict[str, tuple[type[EntityRecognizer], ...]] = {
    "fi": (TaggedNameRecognizer, FinnishPersonRecognizer),
    "sv": (TaggedNameRecognizer, SwedishPersonRecognizer),
}


def build_recognizers(languages: Iterable[str] = ("fi", "sv")) -> list[EntityRecognizer]:
    """One fresh instance of every recognizer for every language, then the language-bound ones, in a stable order."""
    return [
        cls(supported_language=language)
        for language in languages
        for cls in (*RECOGNIZER_CLASSES, *LANGUAGE_RECOGNIZER_CLASSES.get(language, ()))
    ]
