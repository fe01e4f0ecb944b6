"""User handles: Reddit's ``u/name`` and ``/u/name``, and ``@name`` mentions from other platforms.

A handle is a direct way to contact or look up a person, as identifying as a phone
number. ``@`` inside an e-mail address is not a mention: a handle never starts right
after a letter, digit or dot. ``u/name`` inside a link is left to the URL recognizer, so
a profile link becomes one ``<URL>`` rather than a link with a hole in it. Names of
subreddits (``r/Suomi``) are communities, not people, and are kept.
"""

from __future__ import annotations

from presidio_analyzer import Pattern

from privacy.recognizers.base import ConstantPatternRecognizer


class UserHandleRecognizer(ConstantPatternRecognizer):
    """Reddit's own prefix is unambiguous; a bare ``@`` word less so."""

    ENTITY = "USER_HANDLE"
    PATTERNS = (
        # Reddit usernames are 3-20 characters of letters, digits, "_" and "-".
        Pattern("Reddit user", r"(?<![\w/])/?u/[A-Za-z0-9_-]{3,20}(?![\w-])", 0.8),
        # Must contain a letter, so "@14" (a time) is not a handle; may not end in a dot.
        Pattern("@-mention", r"(?<![\w@.+-])@(?=[\w.]*[^\W\d_])\w(?:[\w.]{0,28}\w)?(?![\w@])", 0.6),
    )
    #: Substring-matched against lower-cased neighbouring tokens, Finnish then Swedish then shared.
    CONTEXT = (
        "käyttäjä", "seuraa", "användar", "följ", "insta", "tiktok", "twitter", "discord", "snap", "dm",
    )

