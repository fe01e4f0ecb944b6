-- Consent and governance: collection runs only over partner communities with a current consent
-- record, and anyone can opt out. Consent records are never edited in place: a change is a new
-- record, a withdrawal sets withdrawn_at, so the history stays provable.

CREATE TABLE communities (
    id          bigserial   PRIMARY KEY,
    source      text        NOT NULL,
    name        text        NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    UNIQUE (source, name)
);

CREATE TABLE consent_records (
    id            bigserial   PRIMARY KEY,
    community_id  bigint      NOT NULL REFERENCES communities (id),
    agreed_by     text        NOT NULL CHECK (length(agreed_by) > 0),
    agreed_on     date        NOT NULL,
    scope         text        NOT NULL CHECK (length(scope) > 0),
    review_due    date        NOT NULL,
    document_ref  text        NOT NULL CHECK (length(document_ref) > 0),
    recorded_by   text        NOT NULL,
    recorded_at   timestamptz NOT NULL DEFAULT now(),
    withdrawn_at  timestamptz,
    CHECK (review_due > agreed_on)
);
CREATE INDEX consent_records_community_idx ON consent_records (community_id, agreed_on DESC);

-- Opted-out authors, as keyed pseudonyms only (one row per key in the ring, so rotation does
-- not lose an opt-out). No username, no text.
CREATE TABLE opt_outs (
    source      text        NOT NULL,
    pseudonym   text        NOT NULL CHECK (pseudonym ~ '^[0-9a-f]{64}$'),
    key_id      text        NOT NULL,
    request_id  text        NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (source, pseudonym)
);
