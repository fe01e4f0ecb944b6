-- Data-subject requests as cases (GDPR Art. 12(3): answered within one month of receipt).
-- A case holds the keyed pseudonyms of the person it is about, never the username: an
-- opt-out without proof of account ownership, an erasure or an access request waits here
-- until a DPO confirms (or rejects) it, and only then is anything deleted or exported.
CREATE TABLE privacy_cases (
    id           bigserial   PRIMARY KEY,
    kind         text        NOT NULL CHECK (kind IN ('erasure', 'access', 'opt_out')),
    source       text        NOT NULL,
    pseudonyms   jsonb       NOT NULL,
    verified     boolean     NOT NULL DEFAULT false,
    received_on  date        NOT NULL,
    due_on       date        NOT NULL,
    opened_by    text        NOT NULL,
    status       text        NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done', 'rejected')),
    handled_by   text,
    handled_at   timestamptz,
    outcome      jsonb       NOT NULL DEFAULT '{}',
    CHECK (due_on >= received_on),
    CHECK ((status = 'open') = (handled_at IS NULL))
);
CREATE INDEX privacy_cases_open_idx ON privacy_cases (due_on) WHERE status = 'open';

-- A new case is announced to the DPOs through the same notifications as escalations.
ALTER TABLE notifications DROP CONSTRAINT notifications_kind_check;
ALTER TABLE notifications ADD CONSTRAINT notifications_kind_check CHECK (kind IN ('escalation', 'privacy_case'));
