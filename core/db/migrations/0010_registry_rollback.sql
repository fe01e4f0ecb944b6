-- Rollback state lives in the registry itself: each activation records the version it replaced,
-- so "roll back" re-activates the active row's previous_version instead of reading the audit log.
ALTER TABLE model_versions ADD COLUMN previous_version text REFERENCES model_versions (version);

-- Existing deployments: take each active version's predecessor from its latest activation event.
UPDATE model_versions v
SET previous_version = (
    SELECT a.details->>'previous' FROM audit_log a
    WHERE a.action = 'model.activate' AND a.object_id = v.version
    ORDER BY a.id DESC LIMIT 1)
WHERE v.active;
