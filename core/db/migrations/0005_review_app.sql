-- The counsellor review app: teams with a daily capacity, web sessions, login throttling,
-- the decision a counsellor records on each suggestion, and notes between colleagues.
-- Everything about a suggestion cascades from its post, so retention and erasure reach it.

CREATE TABLE teams (
    id              bigserial   PRIMARY KEY,
    name            text        NOT NULL UNIQUE,
    daily_capacity  integer     NOT NULL CHECK (daily_capacity BETWEEN 1 AND 10000),
    created_at      timestamptz NOT NULL DEFAULT now()
);

ALTER TABLE users ADD COLUMN team_id bigint REFERENCES teams (id);
ALTER TABLE users ADD COLUMN ui_language text NOT NULL DEFAULT 'fi' CHECK (ui_language IN ('fi', 'sv', 'en'));
ALTER TABLE users ADD COLUMN blur_text boolean NOT NULL DEFAULT true;

-- Only a hash of the session token is stored: a database dump does not hand out sessions.
CREATE TABLE web_sessions (
    token_hash    text        PRIMARY KEY,
    user_id       bigint      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    csrf_token    text        NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    last_seen_at  timestamptz NOT NULL DEFAULT now(),
    expires_at    timestamptz NOT NULL
);
CREATE INDEX web_sessions_user_idx ON web_sessions (user_id);

CREATE TABLE login_failures (
    id         bigserial   PRIMARY KEY,
    username   text        NOT NULL,
    client     text        NOT NULL,
    failed_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX login_failures_username_idx ON login_failures (username, failed_at);
CREATE INDEX login_failures_client_idx ON login_failures (client, failed_at);

ALTER TABLE suggestions
    ADD COLUMN outcome text CHECK (outcome IN ('replied', 'accepted_help', 'no_reply', 'hostile')),
    ADD COLUMN dismiss_reason text
        CHECK (dismiss_reason IN ('not_distress', 'already_helped', 'not_reachable', 'other')),
    ADD COLUMN corrected_level smallint CHECK (corrected_level BETWEEN 0 AND 4),
    ADD COLUMN corrected_by bigint REFERENCES users (id),
    ADD COLUMN decided_by bigint REFERENCES users (id),
    ADD COLUMN decided_at timestamptz,
    ADD COLUMN first_claimed_at timestamptz,
    ADD COLUMN claimed_team_id bigint REFERENCES teams (id);
CREATE INDEX suggestions_team_day_idx ON suggestions (claimed_team_id, first_claimed_at);

-- Internal notes are counsellors' own words and may name people, so they are encrypted like
-- post text. A note with ``addressed_to`` asks that colleague for a second opinion.
CREATE TABLE suggestion_notes (
    id              bigserial   PRIMARY KEY,
    suggestion_id   bigint      NOT NULL REFERENCES suggestions (id) ON DELETE CASCADE,
    author_id       bigint      NOT NULL REFERENCES users (id),
    addressed_to    bigint      REFERENCES users (id),
    note_encrypted  bytea       NOT NULL,
    answered_at     timestamptz,
    created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX suggestion_notes_suggestion_idx ON suggestion_notes (suggestion_id);
CREATE INDEX suggestion_notes_addressed_idx ON suggestion_notes (addressed_to) WHERE answered_at IS NULL;
