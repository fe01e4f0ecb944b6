"""Web addresses: ``https://…``, ``www.…`` and bare domains such as ``example.fi/polku``.

A link in a post can lead straight to a person (a profile, a fundraiser, a blog), so
every one is replaced unless the policy's allow-list keeps it (crisis services).
Presidio's ``UrlRecognizer`` is not reused because its bare-domain pattern knows every
two-letter country code in any letter case, and in Finnish and Swedish text that turns
a missed space into a link ("jaksa.Se on", "ok.No niin"). Bare domains here need one of
the top-level domains people around here actually link to, written in lower case; no
public-suffix list is consulted, so nothing touches the network.
"""

from __future__ import annotations

from presidio_analyzer import Pattern

from privacy.recognizers.base import ConstantPatternRecognizer

_CHAR = r"[^\s<>\"'()\[\]{}]"
_LAST = r"[^\s<>\"'()\[\]{}.,;:!?]"
_REST = rf"(?:{_CHAR}*{_LAST})?"
_LABEL = r"[^\W_](?:[\w-]{0,61}[^\W_])?"
_TLDS = "fi|se|ax|eu|com|net|org|info|io|nu|me|app|dev|co|tv|ly|gg|uk|de|dk|ee|xyz|blog|online|site"


class WebAddressRecognizer(ConstantPatternRecognizer):
    """An explicit scheme or ``www.`` is near-certain; a bare domain less so."""

    ENTITY = "URL"
    PATTERNS = (
        Pattern("URL with scheme", rf"\b(?:https?|ftp)://{_CHAR}*{_LAST}", 0.8),
        Pattern("www address", rf"(?<![\w@./-])www\d{{0,3}}\.{_LABEL}(?:\.{_LABEL})*{_REST}", 0.7),
        Pattern(
            "bare domain",
            rf"(?<![\w@./:-])(?:{_LABEL}\.)+(?-i:{_TLDS})(?![\w-])(?::\d{{1,5}})?(?:/{_REST})?",
            0.5,
        ),
    )
    #: Substring-matched against lower-cased neighbouring tokens, Finnish then Swedish then shared.
    CONTEXT = ("linkki", "sivu", "osoite", "länk", "sida", "webb", "url", "http")

