-- Two-factor sign-in (TOTP, RFC 6238). The shared secret is stored encrypted with the text key,
-- like every other secret the app keeps; the last accepted time step stops a code from being used
-- twice. A session made by a correct password waits for the code before it opens anything.
ALTER TABLE users ADD COLUMN totp_secret_encrypted bytea;
ALTER TABLE users ADD COLUMN totp_enabled_at timestamptz;
ALTER TABLE users ADD COLUMN totp_last_step bigint;
ALTER TABLE users ADD CONSTRAINT users_totp_enabled_has_secret
    CHECK (totp_enabled_at IS NULL OR totp_secret_encrypted IS NOT NULL);
ALTER TABLE web_sessions ADD COLUMN second_factor_pending boolean NOT NULL DEFAULT false;
