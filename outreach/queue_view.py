"""A plain-text view of the open queue for the terminal (the web app comes later).

Showing redacted text is a view of post text, so it writes an audit event naming
the viewer and the suggestions shown (invariant 6).
"""

from __future__ import annotations

import textwrap

from core import audit
from core.db.connection import Connection, transaction
from outreach.queue import QueueItem, open_items
from privacy.encryption import TextCipher

PREVIEW_CHARS = 280


def format_item(rank: int, item: QueueItem, text: str) -> str:
    sla = "SLA BREACHED" if item.sla_breached else f"SLA due {item.sla_due:%Y-%m-%d %H:%M} UTC"
    preview = text if len(text) <= PREVIEW_CHARS else text[:PREVIEW_CHARS].rstrip() + "…"
    body = textwrap.indent(textwrap.fill(" ".join(preview.split()), 96), "    ")
    draft = textwrap.indent(item.draft_message, "    | ")
    return (f"#{rank:<3} {item.level.label.upper():<9} priority {item.priority:6.1f}  {item.language}  "
            f"r/{item.community}  {sla}\n    {item.permalink}\n{body}\n    draft:\n{draft}")


def print_queue(conn: Connection, cipher: TextCipher, *, limit: int, actor: str) -> int:
    """Print up to ``limit`` open items; returns how many were shown."""
    with transaction(conn) as cur:
        items = open_items(cur, limit=limit)
        audit.record(cur, actor=actor, role="cli", action="queue.view", object_type="suggestion",
                     details={"suggestion_ids": [i.suggestion_id for i in items]})
    counts: dict[str, int] = {}
    for item in items:
        counts[item.level.label] = counts.get(item.level.label, 0) + 1
    print(f"Outreach queue: {len(items)} open item(s) shown "
          f"({', '.join(f'{n} {label}' for label, n in counts.items()) or 'none'}), most urgent first.\n")
    for rank, item in enumerate(items, start=1):
        print(format_item(rank, item, cipher.decrypt(item.text_encrypted)) + "\n")
    return len(items)
