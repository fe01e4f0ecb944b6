"""Exporting audit-log searches as CSV for the DPO (the search itself is :func:`core.audit.search`)."""

from __future__ import annotations

import csv
import json
from datetime import datetime
from typing import TextIO

from core.audit import COLUMNS


def write_csv(events: list[dict], out: TextIO) -> None:
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for event in events:
        writer.writerow([
            json.dumps(event[c], sort_keys=True, ensure_ascii=False) if c == "details"
            else (event[c].isoformat() if isinstance(event[c], datetime) else event[c])
            for c in COLUMNS
        ])
