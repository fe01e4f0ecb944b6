"""Re-encrypting stored text under the current encryption key.

After a new ``MAJAKKA_ENCRYPTION_KEY`` is configured (the old one moved to
``MAJAKKA_ENCRYPTION_PREVIOUS_KEYS``), this rewrites every row in committed batches;
once it reports zero rows left, the old key can be retired.
"""

from __future__ import annotations

from core import audit
from core.db.connection import transaction
from privacy.encryption import TextCipher

BATCH = 500


def rotate_stored_text(conn, cipher: TextCipher, *, actor: str, role: str) -> int:
    """Re-encrypt every post's text; returns rows rewritten."""
    rewritten = 0
    last_id = 0
    while True:
        with transaction(conn) as cur:
            cur.execute("SELECT id, text_encrypted FROM posts WHERE id > %s ORDER BY id LIMIT %s", (last_id, BATCH))
            rows = cur.fetchall()
            if not rows:
                break
            for row in rows:
                cur.execute("UPDATE posts SET text_encrypted = %s WHERE id = %s",
                            (cipher.rotate(row["text_encrypted"]), row["id"]))
            rewritten += len(rows)
            last_id = rows[-1]["id"]
    with transaction(conn) as cur:
        audit.record(cur, actor=actor, role=role, action="keys.rotate_encryption", details={"rows": rewritten})
    return rewritten
