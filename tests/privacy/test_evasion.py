"""Evasion: invisible, look-alike and control characters inside identifiers do not get them past the filter.

One table per evasion class, each over every identifier type: the identifier is written with the
evasion inside it, in an ordinary post, and nothing of it may survive redaction.
"""

from __future__ import annotations

import re

import pytest

from benchmarks.privacy_evasion import APPLIES, EVASIONS, IDENTIFIERS
from privacy.redaction import PrivacyFilter


@pytest.fixture(scope="module")
def privacy_filter() -> PrivacyFilter:
    return PrivacyFilter()


CASES = [
    pytest.param(evasion, kind, post, identifier, language, id=f"{evasion}-{kind}")
    for evasion in EVASIONS
    for kind, post, identifier, language in IDENTIFIERS
    if APPLIES.get(evasion, lambda _: True)(identifier)
]


@pytest.mark.parametrize(("evasion", "kind", "post", "identifier", "language"), CASES)
def test_no_identifier_survives_an_evasion(privacy_filter, evasion, kind, post, identifier, language):
    evaded = EVASIONS[evasion](identifier)
    redacted = privacy_filter.redact(post.format(evaded), language).text
    core = re.sub(r"\W", "", identifier)
    assert core[:4] not in re.sub(r"\W", "", redacted.replace("<", " <")), (evasion, kind, redacted)
    assert "\u200b" not in redacted and "\x00" not in redacted and "\u00ad" not in redacted


def test_the_cleaned_text_is_what_is_stored(privacy_filter):
    """The stored text has the invisible characters out and the rest of the post intact."""
    redaction = privacy_filter.redact("En\u200b jaksa\u00ad enää, soita ０４０ １２３ ４５６７", "fi")
    assert redaction.text == "En jaksa enää, soita <PHONE>"
    entity = redaction.entities[0]
    assert (entity.type, entity.start) == ("PHONE_NUMBER", len("En\u200b jaksa\u00ad enää, soita "))


def test_a_lone_surrogate_is_replaced_not_raised(privacy_filter):
    redaction = privacy_filter.redact("moi \ud800 soita 040 123 4567", "fi")
    assert redaction.text == "moi \ufffd soita <PHONE>"
