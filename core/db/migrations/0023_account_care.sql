-- Account care for administrators: when each person last signed in, and a temporary password
-- (set by an administrator) that must be changed at the next sign-in.
ALTER TABLE users ADD COLUMN last_sign_in_at timestamptz;
ALTER TABLE users ADD COLUMN must_change_password boolean NOT NULL DEFAULT false;
