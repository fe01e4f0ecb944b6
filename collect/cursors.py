"""Per-stream collection cursors (table ``source_cursors``)."""

from __future__ import annotations

from collect.base import Cursor, StreamKey
from core.db.connection import Cursor as DbCursor


def load(cur: DbCursor, stream: StreamKey) -> Cursor | None:
    cur.execute(
        "SELECT newest_id, newest_at FROM source_cursors WHERE source = %s AND community = %s AND stream = %s",
        (stream.source, stream.community, stream.stream),
    )
    row = cur.fetchone()
    return Cursor(row["newest_id"], row["newest_at"]) if row else None


def save(cur: DbCursor, stream: StreamKey, cursor: Cursor) -> None:
    """Advance the cursor; never moves it backwards (a late, older batch cannot rewind it)."""
    cur.execute(
        """
        INSERT INTO source_cursors (source, community, stream, newest_id, newest_at)
        VALUES (%s, %s, %s, %s, %s)
        ON CONFLICT (source, community, stream) DO UPDATE
            SET newest_id = EXCLUDED.newest_id, newest_at = EXCLUDED.newest_at, updated_at = now()
            WHERE source_cursors.newest_at <= EXCLUDED.newest_at
        """,
        (stream.source, stream.community, stream.stream, cursor.newest_id, cursor.newest_at),
    )
