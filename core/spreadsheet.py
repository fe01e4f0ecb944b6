"""CSV that is safe to open in a spreadsheet: every CSV this project writes goes through here.

A cell that starts with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage return) is run as a
formula by Excel and LibreOffice; a username typed at the login form would otherwise become a
live link in the DPO's audit export (CSV formula injection). Such a cell gets a leading
apostrophe, which spreadsheets show as text; :func:`unquote_cell` undoes it on import, so an
exported file can be edited and imported again unchanged.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import TextIO

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> str:
    """``value`` as text that a spreadsheet shows and never evaluates."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def unquote_cell(text: str) -> str:
    """The value :func:`safe_cell` was given (the apostrophe it added is removed)."""
    return text[1:] if text.startswith("'") and text[1:].startswith(_FORMULA_STARTS) else text


def write_rows(out: TextIO, header: Iterable[str], rows: Iterable[Iterable[object]]) -> None:
    """Write ``header`` and ``rows`` as CSV with every cell made safe."""
    writer = csv.writer(out)
    writer.writerow([safe_cell(name) for name in header])
    for row in rows:
        writer.writerow([safe_cell(value) for value in row])
