"""Exporting audit-log searches as CSV for the DPO (the search itself is :func:`core.audit.search`)."""

from __future__ import annotations

import json
from datetime import datetime
from typing import TextIO

from core.audit import COLUMNS
from core.spreadsheet import write_rows


def _value(event: dict, column: str) -> object:
    value = event[column]
    if column == "details":
        return json.dumps(value, sort_keys=True, ensure_ascii=False)
    return value.isoformat() if isinstance(value, datetime) else value


def write_csv(events: list[dict], out: TextIO) -> None:
    """The events as CSV; actor names and details come from users and attackers, so no cell runs as a formula."""
    write_rows(out, COLUMNS, ([_value(event, column) for column in COLUMNS] for event in events))
