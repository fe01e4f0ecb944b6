-- In-app notifications: one row per person to tell, kept until they acknowledge it. A
-- notification names an object and a kind, never post text. Escalations reach the supervisors
-- this way, and a supervisor takes an escalation on (assignee), acknowledges it and records
-- what was done.
CREATE TABLE notifications (
    id               bigserial   PRIMARY KEY,
    user_id          bigint      NOT NULL REFERENCES users (id),
    kind             text        NOT NULL CHECK (kind IN ('escalation')),
    suggestion_id    bigint      REFERENCES suggestions (id) ON DELETE CASCADE,
    details          jsonb       NOT NULL DEFAULT '{}',
    created_at       timestamptz NOT NULL DEFAULT now(),
    acknowledged_at  timestamptz
);
CREATE INDEX notifications_unread_idx ON notifications (user_id, created_at) WHERE acknowledged_at IS NULL;

ALTER TABLE suggestions ADD COLUMN escalation_assignee bigint REFERENCES users (id);
ALTER TABLE suggestions ADD COLUMN escalation_acknowledged_at timestamptz;
ALTER TABLE suggestions ADD COLUMN escalation_outcome text CHECK (escalation_outcome IN (
    'emergency_services_contacted', 'person_contacted', 'platform_report_made', 'no_further_action'));
