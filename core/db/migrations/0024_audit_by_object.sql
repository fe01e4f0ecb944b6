-- "What happened to item N" (the item page's history, the DPO's "who read item N", the on-call
-- alert's once-per-item check) reads the log by object; without this it scans the whole log,
-- which grows by one row per page view.
CREATE INDEX audit_log_object_idx ON audit_log (object_type, object_id, occurred_at DESC);
