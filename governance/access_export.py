"""The answer to an access request (GDPR Art. 15): what is stored about one author, as redacted text.

The export lists each stored post of the author's pseudonyms with its redacted text (the only
form Majakka ever stores), when it was written and collected, when it will be deleted, and what
became of any outreach suggestion made from it, together with the purpose, the legal basis and
the retention rules, as Art. 15(1) asks. It is built on demand and never stored.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from core.db.connection import Cursor
from privacy.encryption import TextCipher

PURPOSE = ("Finding people who may need support in public posts of partner communities, so that a counsellor "
           "can decide whether to offer help (municipal outreach services).")
LEGAL_BASIS = "GDPR Art. 6(1)(e), Art. 9(2)(h) and Art. 9(3)"


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def build(cur: Cursor, *, source: str, pseudonyms: list[str], cipher: TextCipher, reference: str,
          retention_days: int) -> dict[str, Any]:
    """Everything stored about these pseudonyms, in one JSON-ready document."""
    cur.execute(
        """SELECT p.id, p.kind, p.community, p.language, p.text_encrypted, p.created_at, p.collected_at,
                  p.purge_after,
                  (SELECT json_agg(json_build_object('status', g.status, 'level', g.level,
                                                     'created_at', g.created_at, 'decided_at', g.decided_at)
                                   ORDER BY g.id)
                   FROM suggestions g WHERE g.post_id = p.id) AS suggestions
           FROM posts p WHERE p.source = %s AND p.author_pseudonym = ANY(%s) ORDER BY p.created_at""",
        (source, pseudonyms),
    )
    stored = [{
        "kind": row["kind"], "community": row["community"], "language": row["language"],
        "written_at": _iso(row["created_at"]), "collected_at": _iso(row["collected_at"]),
        "deleted_by": _iso(row["purge_after"]), "redacted_text": cipher.decrypt(bytes(row["text_encrypted"])),
        "outreach_suggestions": row["suggestions"] or [],
    } for row in cur.fetchall()]
    return {
        "reference": reference,
        "source": source,
        "purpose": PURPOSE,
        "legal_basis": LEGAL_BASIS,
        "retention": f"Posts are deleted {retention_days} days after collection at the latest.",
        "recipients": "Counsellors of the municipal partner services only; nothing is sold or shared.",
        "what_is_never_stored": "Your username (only a keyed code made from it) and any unredacted text.",
        "posts": stored,
    }
