"""Language identification: only Finnish and Swedish continue, everything else is dropped.

lingua is restricted to the languages that actually appear around Finnish and
Swedish communities (English, Estonian, Norwegian, Danish); a closed set is both
faster and more accurate than asking "which of 75 languages is this?". Models are
preloaded once per process because loading costs about two seconds.

It decides on what is language: handles, links, e-mail addresses, redaction placeholders,
emoji and digits are set aside first (a short Swedish tweet full of handles and links was
otherwise often called Finnish). A community's configured language is the prior: when a
post has too few letters to tell, or the two likeliest languages are close and the prior
is one of them, the post is taken to be in its community's language. A post with almost no
letters (emoji only, say) has no language to speak of and is undetermined.
"""

from __future__ import annotations

import re
from functools import lru_cache

from lingua import Language, LanguageDetector, LanguageDetectorBuilder

from privacy.normalise import clean

KEPT_LANGUAGES = frozenset({"fi", "sv"})
_CANDIDATES = (
    Language.FINNISH, Language.SWEDISH, Language.ENGLISH, Language.ESTONIAN,
    Language.BOKMAL, Language.NYNORSK, Language.DANISH,
)
_LETTERS = re.compile(r"[^\W\d_]", re.UNICODE)
#: Not language: links, e-mail addresses, handles and subreddits, redaction placeholders.
_NOT_LANGUAGE = re.compile(
    r"https?://\S+|www\.\S+|\S+@\S+\.\w+|(?<!\w)[@＠]\w+|(?<![\w/])/?[ur]/\w+|<[A-Z_]+>",
    re.IGNORECASE,
)
#: Fewer letters than this carry too little signal to call a language.
MIN_LETTERS = 3
#: Below this many letters, a community's language decides when there is one.
SHORT_LETTERS = 20
#: Two languages closer than this (in lingua's confidence, 0-1) are a close call.
CLOSE_CALL = 0.15
UNDETERMINED = "und"


@lru_cache(maxsize=1)
def _detector() -> LanguageDetector:
    return LanguageDetectorBuilder.from_languages(*_CANDIDATES).with_preloaded_language_models().build()


def language_part(text: str) -> str:
    """``text`` without what carries no language: links, handles, placeholders, emoji, digits."""
    cleaned = _NOT_LANGUAGE.sub(" ", clean(text).text)
    return " ".join("".join(char if char.isalpha() or char in " '-.,!?" else " " for char in cleaned).split())


def detect_language(text: str, prior: str | None = None) -> str:
    """ISO 639-1 code of ``text``'s language among the candidates, or ``"und"``.

    ``prior`` is the language of the community the post comes from, if it has one.
    """
    words = language_part(text)
    letters = len(_LETTERS.findall(words))
    if letters < MIN_LETTERS:
        return UNDETERMINED
    ranked = _detector().compute_language_confidence_values(words)
    best = ranked[0].language.iso_code_639_1.name.lower()
    if prior is None or best == prior:
        return best
    if letters < SHORT_LETTERS:
        return prior
    prior_confidence = next((r.value for r in ranked if r.language.iso_code_639_1.name.lower() == prior), 0.0)
    return prior if ranked[0].value - prior_confidence < CLOSE_CALL else best


def is_kept(language: str) -> bool:
    return language in KEPT_LANGUAGES
