"""Language identification: only Finnish and Swedish continue, everything else is dropped.

lingua is restricted to the languages that actually appear around Finnish and
Swedish communities (English, Estonian, Norwegian, Danish); a closed set is both
faster and more accurate than asking "which of 75 languages is this?". Models are
preloaded once per process because loading costs about two seconds.
"""

from __future__ import annotations

import re
from functools import lru_cache

from lingua import Language, LanguageDetector, LanguageDetectorBuilder

KEPT_LANGUAGES = frozenset({"fi", "sv"})
_CANDIDATES = (
    Language.FINNISH, Language.SWEDISH, Language.ENGLISH, Language.ESTONIAN,
    Language.BOKMAL, Language.NYNORSK, Language.DANISH,
)
_LETTERS = re.compile(r"[^\W\d_]", re.UNICODE)
#: Fewer letters than this carry too little signal to call a language.
MIN_LETTERS = 3
UNDETERMINED = "und"


@lru_cache(maxsize=1)
def _detector() -> LanguageDetector:
    return LanguageDetectorBuilder.from_languages(*_CANDIDATES).with_preloaded_language_models().build()


def detect_language(text: str) -> str:
    """ISO 639-1 code of ``text``'s language among the candidates, or ``"und"``."""
    if len(_LETTERS.findall(text)) < MIN_LETTERS:
        return UNDETERMINED
    language = _detector().detect_language_of(text)
    if language is None:
        return UNDETERMINED
    return language.iso_code_639_1.name.lower()


def is_kept(language: str) -> bool:
    return language in KEPT_LANGUAGES
