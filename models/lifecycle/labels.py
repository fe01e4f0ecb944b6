"""Which counsellor decisions are training labels: the one definition, and the queries that read them.

A corrected level is the label, whatever the model said; reaching out or escalating confirms
the model's level; a dismissal that names a false alarm (no distress, someone helping someone
else, a joke or hyperbole, lyrics or a quote, news) teaches level 0, as the annotation guide
rates such posts (a helper's comment is level 0, its risk someone else's); a dismissal for
another reason (already in care, not reachable) leaves the risk standing and is not a label.
The label export and the shadow comparison both read labels through this module. Kept free of
heavy imports, since the review app's Models page uses it.
"""

from __future__ import annotations

from core.db.connection import Cursor

#: Dismissal reasons that say the writer is not at risk (``outreach.workflow.FALSE_ALARM_REASONS``).
FALSE_ALARM_REASONS = ("not_distress", "helping_someone_else", "joke_or_hyperbole", "lyrics_or_quote",
                       "news_or_discussion")
_FALSE_ALARM = "(g.status = 'dismissed' AND g.dismiss_reason IN ({}))".format(
    ", ".join(f"'{reason}'" for reason in FALSE_ALARM_REASONS))
_IS_LABEL = f"(g.corrected_level IS NOT NULL OR g.status IN ('reached_out', 'escalated') OR {_FALSE_ALARM})"
_LABEL = f"coalesce(g.corrected_level, CASE WHEN {_FALSE_ALARM} THEN 0 END, g.level)"


def labelled_posts(cur: Cursor) -> list[dict]:
    """Posts still stored whose suggestion became a label, in post order: the post's stored fields,
    ``label`` and whether a counsellor ``corrected`` the level (else confirmed it)."""
    cur.execute(
        f"""
        SELECT p.id, p.text_encrypted, p.language, p.author_pseudonym, p.purge_after, {_LABEL} AS label,
               (g.corrected_level IS NOT NULL OR {_FALSE_ALARM}) AS corrected
        FROM suggestions g JOIN posts p ON p.id = g.post_id
        WHERE {_IS_LABEL}
        ORDER BY p.id
        """
    )
    return list(cur.fetchall())


def shadow_pairs(cur: Cursor, active: str, shadow: str) -> list[dict]:
    """Posts scored by both versions: ``active_level``, ``shadow_level`` and the counsellor ``label`` if any."""
    cur.execute(
        f"""
        SELECT s.level AS active_level, h.level AS shadow_level,
               CASE WHEN g.id IS NOT NULL AND {_IS_LABEL} THEN {_LABEL} END AS label
        FROM scores s
        JOIN shadow_scores h ON h.post_id = s.post_id AND h.model_version = %s
        LEFT JOIN suggestions g ON g.post_id = s.post_id
        WHERE s.model_version = %s
        """,
        (shadow, active),
    )
    return list(cur.fetchall())
