"""Which counsellor decisions are training labels, in SQL over ``suggestions g``: the one definition.

A corrected level is the label, whatever the model said; reaching out or escalating confirms
the model's level; a dismissal without a correction is not a label. The label export and the
shadow comparison both read labels through these fragments. Kept free of heavy imports, since
the review app's Models page uses them.
"""

from __future__ import annotations

IS_LABEL_SQL = "(g.corrected_level IS NOT NULL OR g.status IN ('reached_out', 'escalated'))"
LABEL_SQL = "coalesce(g.corrected_level, g.level)"
