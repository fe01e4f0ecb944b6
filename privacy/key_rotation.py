"""Re-encrypting stored text under the current encryption key.

After a new ``MAJAKKA_ENCRYPTION_KEY`` is configured (the old one moved to
``MAJAKKA_ENCRYPTION_PREVIOUS_KEYS``), this rewrites every row in committed batches;
once it reports zero rows left, the old key can be retired.
"""

from __future__ import annotations

from core import audit
from core.db.connection import Connection, transaction
from privacy import posts
from privacy.encryption import TextCipher

BATCH = 500


def rotate_stored_text(conn: Connection, cipher: TextCipher, *, actor: str, role: str) -> int:
    """Re-encrypt every post's text; returns rows rewritten."""
    rewritten = 0
    last_id = 0
    while True:
        with transaction(conn) as cur:
            rows = posts.encrypted_page(cur, after_id=last_id, limit=BATCH)
            if not rows:
                break
            for row in rows:
                posts.replace_encrypted_text(cur, row["id"], cipher.rotate(row["text_encrypted"]))
            rewritten += len(rows)
            last_id = rows[-1]["id"]
    with transaction(conn) as cur:
        audit.record(cur, actor=actor, role=role, action="keys.rotate_encryption", details={"rows": rewritten})
    return rewritten
