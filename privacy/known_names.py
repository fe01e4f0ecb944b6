"""Redaction of identifiers the collector already knows: the poster's own username.

Presidio finds identifiers by their shape; a username written without ``u/`` has no
shape. The collector holds the author's name in memory anyway, so every mention of
it in the text is replaced before the pattern-based filter runs.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

PLACEHOLDER = "<HANDLE>"
#: Names shorter than this are ordinary words too often ("mä", "en") to replace blindly.
MIN_NAME_LENGTH = 3


def redact_known_names(text: str, names: Iterable[str | None]) -> tuple[str, int]:
    """Replace whole-word mentions of ``names`` (case-insensitive); return text and count."""
    count = 0
    for name in names:
        if not name or len(name) < MIN_NAME_LENGTH:
            continue
        pattern = re.compile(rf"(?<![\w/@]){re.escape(name)}(?!\w)", re.IGNORECASE)
        text, replaced = pattern.subn(PLACEHOLDER, text)
        count += replaced
    return text, count
