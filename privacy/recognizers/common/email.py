"""E-mail addresses, plain (``matti.m@example.fi``) and obfuscated (``matti (at) example (piste) fi``).

Presidio's own ``EmailRecognizer`` confirms the domain with ``tldextract``, which fetches
the public-suffix list over the network on first use; this filter must run offline and
must not leak posts to anyone, so the shape alone decides here. People on Reddit hide
their addresses from scrapers with "(at)" or the Finnish "miukumauku": that is exactly
the address somebody meant to share privately, so those forms are caught too, at a lower
score that neighbouring words like "sähköposti" lift.
"""

from __future__ import annotations

from presidio_analyzer import Pattern

from privacy.recognizers.base import ConstantPatternRecognizer

_LOCAL = r"(?<![\w.+-])[\w+-](?:[\w.+-]{0,62}[\w+-])?"
_LABEL = r"[^\W_](?:[\w-]{0,61}[^\W_])?"
_TLD = r"[^\W\d_]{2,24}(?![\w-])"
_AT = r"\s?[(\[{]\s?(?:at|ät|a|miukumauku|snabel-?a)\s?[)\]}]\s?"
_DOT = r"(?:\.|\s?[(\[{]\s?(?:dot|piste|punkt)\s?[)\]}]\s?)"


class EmailAddressRecognizer(ConstantPatternRecognizer):
    """The plain form is unmistakable; the obfuscated form leans on context."""

    ENTITY = "EMAIL_ADDRESS"
    PATTERNS = (
        Pattern("e-mail address", rf"{_LOCAL}@(?:{_LABEL}\.)+{_TLD}", 0.8),
        Pattern("obfuscated e-mail address", rf"{_LOCAL}{_AT}(?:{_LABEL}{_DOT})+{_TLD}", 0.5),
    )
    #: Substring-matched against lower-cased neighbouring tokens, Finnish then Swedish then shared.
    CONTEXT = ("sähköpost", "sposti", "meili", "mejl", "e-post", "epost", "mail")

