-- The queue at scale: list pages read an index already in urgency order instead of sorting
-- every open suggestion (outreach/worklist.py reads one slice per level from this index), and
-- a counsellor's own counts and decided lists read by person and decision time.
CREATE INDEX suggestions_open_order_idx ON suggestions (level, priority DESC, sla_due, id)
    WHERE status IN ('new', 'claimed');
CREATE INDEX suggestions_decided_by_idx ON suggestions (decided_by, decided_at) WHERE decided_by IS NOT NULL;
CREATE INDEX suggestions_decided_idx ON suggestions (status, decided_at DESC, id DESC)
    WHERE status NOT IN ('new', 'claimed');
