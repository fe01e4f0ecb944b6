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
from privacy.recognizers.common.phone import NordicPhoneRecognizer
from privacy.recognizers.common.url import WebAddressRecognizer
from privacy.recognizers.fi.henkilotunnus import HenkilotunnusRecognizer
from privacy.recognizers.se.personnummer import PersonnummerRecognizer

RECOGNIZER_CLASSES = (
    HenkilotunnusRecognizer,
    PersonnummerRecognizer,
    NordicPhoneRecognizer,
    EmailAddressRecognizer,
    WebAddressRecognizer,
    IbanCodeRecognizer,
    UserHandleRecognizer,
)


def build_recognizers(languages: Iterable[str] = ("fi", "sv")) -> list[EntityRecognizer]:
    """One fresh instance of every recognizer for every language, in a stable order."""
    return [cls(supported_language=language) for language in languages for cls in RECOGNIZER_CLASSES]
