"""Identifiers the collector already knows: the poster's own username, wherever it is written.

Presidio finds identifiers by their shape; a username written without ``u/`` has no shape. The
collector holds the author's name in memory anyway, so the filter is given it and every whole-word
mention is replaced, on the cleaned text (a soft hyphen or a look-alike letter inside the name does
not hide it).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

#: Names shorter than this are ordinary words too often ("mä", "en") to replace blindly.
MIN_NAME_LENGTH = 3


def known_name_spans(text: str, names: Iterable[str | None]) -> list[tuple[int, int]]:
    """Whole-word, case-insensitive mentions of ``names`` in ``text``, as (start, end) spans."""
    spans = []
    for name in names:
        if not name or len(name) < MIN_NAME_LENGTH:
            continue
        pattern = re.compile(rf"(?<![\w/@]){re.escape(name)}(?!\w)", re.IGNORECASE)
        spans += [match.span() for match in pattern.finditer(text)]
    return spans
