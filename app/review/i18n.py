"""Interface language: gettext catalogues (``locales/<lang>.po``, read with Babel) for fi, sv and en.

Message ids are the English text, so English needs no catalogue and an untranslated
string falls back to readable English rather than to a key. A test checks that every
string the templates and routes use has a Finnish and a Swedish translation.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from babel.messages.pofile import read_po

LOCALES_DIR = Path(__file__).with_name("locales")
LANGUAGES = ("fi", "sv", "en")
DEFAULT_LANGUAGE = "fi"
LANGUAGE_NAMES = {"fi": "suomi", "sv": "svenska", "en": "English"}


@lru_cache(maxsize=len(LANGUAGES))
def catalogue(language: str) -> dict[str, str]:
    """msgid -> translation for ``language`` (empty for English)."""
    path = LOCALES_DIR / f"{language}.po"
    if language == "en" or not path.exists():
        return {}
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=language)
    return {str(m.id): str(m.string) for m in catalog if m.id and m.string and not m.fuzzy}


@dataclass(frozen=True)
class Translator:
    language: str

    def gettext(self, message: str, **values: object) -> str:
        text = catalogue(self.language).get(message, message)
        return text.format(**values) if values else text


def negotiate(accept_language: str | None, cookie: str | None = None) -> str:
    """The language for an anonymous visitor: their cookie choice, then the browser's list, then Finnish."""
    if cookie in LANGUAGES:
        return cookie
    for part in (accept_language or "").split(","):
        code = part.split(";")[0].strip().lower()[:2]
        if code in LANGUAGES:
            return code
    return DEFAULT_LANGUAGE
