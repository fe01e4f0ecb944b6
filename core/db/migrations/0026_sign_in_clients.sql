-- Clients (addresses) an account has signed in from: a stranger's failed guesses slow an account
-- down everywhere else, but never lock its owner out of a place they already sign in from.
CREATE TABLE sign_in_clients (
    username   text        NOT NULL,
    client     text        NOT NULL,
    last_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (username, client)
);
CREATE INDEX login_failures_pair_idx ON login_failures (username, client, failed_at);
