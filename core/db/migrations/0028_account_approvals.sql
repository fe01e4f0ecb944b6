-- Separation of duties: an administrator alone cannot give anyone (themself included) access to
-- post text. Creating an account with a text-reading role, promoting an account into one, or
-- re-activating one leaves it waiting, with the role it asks for, until a second administrator or
-- a data-protection officer approves it; the DPOs are told in the app.
ALTER TABLE users ADD COLUMN pending_role user_role;
ALTER TABLE users ADD COLUMN pending_requested_by text;
ALTER TABLE users ADD COLUMN pending_since timestamptz;
ALTER TABLE users ADD CONSTRAINT users_pending_complete
    CHECK ((pending_role IS NULL) = (pending_requested_by IS NULL) AND (pending_role IS NULL) = (pending_since IS NULL));

ALTER TABLE notifications DROP CONSTRAINT notifications_kind_check;
ALTER TABLE notifications ADD CONSTRAINT notifications_kind_check
    CHECK (kind IN ('escalation', 'privacy_case', 'account_approval'));
