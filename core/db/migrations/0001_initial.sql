-- Majakka's first schema. Every table that holds data about a post has a purge
-- deadline set at insert (invariant 5); text is stored only redacted and encrypted
-- (invariant 1); authors only as keyed pseudonyms (invariant 2).

CREATE TYPE risk_level AS ENUM ('none', 'low', 'moderate', 'high', 'crisis');
CREATE TYPE user_role AS ENUM ('counsellor', 'supervisor', 'dpo', 'ml_engineer', 'admin');
CREATE TYPE suggestion_status AS ENUM (
    'new', 'claimed', 'reached_out', 'dismissed', 'escalated', 'superseded', 'expired');

-- Where each source stream (e.g. reddit / Suomi / submissions) stopped last time.
CREATE TABLE source_cursors (
    source        text        NOT NULL,
    community     text        NOT NULL,
    stream        text        NOT NULL,
    newest_id     text        NOT NULL,
    newest_at     timestamptz NOT NULL,
    updated_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (source, community, stream)
);

-- Redacted, encrypted posts and comments. No raw text, no raw author.
CREATE TABLE posts (
    id                bigserial   PRIMARY KEY,
    source            text        NOT NULL,
    source_id         text        NOT NULL,
    kind              text        NOT NULL CHECK (kind IN ('post', 'comment')),
    community         text        NOT NULL,
    permalink         text        NOT NULL,
    author_pseudonym  text        NOT NULL CHECK (author_pseudonym ~ '^[0-9a-f]{64}$'),
    pseudonym_key_id  text        NOT NULL,
    language          text        NOT NULL CHECK (language IN ('fi', 'sv')),
    text_encrypted    bytea       NOT NULL,
    text_length       integer     NOT NULL CHECK (text_length >= 0),
    entity_counts     jsonb       NOT NULL DEFAULT '{}'::jsonb,
    filter_version    text        NOT NULL,
    created_at        timestamptz NOT NULL,
    collected_at      timestamptz NOT NULL DEFAULT now(),
    purge_after       timestamptz NOT NULL,
    UNIQUE (source, source_id)
);
CREATE INDEX posts_purge_after_idx ON posts (purge_after);
CREATE INDEX posts_author_idx ON posts (author_pseudonym);

-- One score per post per model version (invariant 8). Explanations hold offsets
-- into the redacted text and weights, never the text itself.
CREATE TABLE scores (
    id              bigserial   PRIMARY KEY,
    post_id         bigint      NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    model_version   text        NOT NULL,
    level           smallint    NOT NULL CHECK (level BETWEEN 0 AND 4),
    probabilities   real[]      NOT NULL CHECK (array_length(probabilities, 1) = 5),
    explanation     jsonb       NOT NULL DEFAULT '[]'::jsonb,
    scored_at       timestamptz NOT NULL DEFAULT now(),
    purge_after     timestamptz NOT NULL,
    UNIQUE (post_id, model_version)
);

-- Outreach suggestions for counsellors. One per post at most.
CREATE TABLE suggestions (
    id               bigserial         PRIMARY KEY,
    post_id          bigint            NOT NULL UNIQUE REFERENCES posts (id) ON DELETE CASCADE,
    score_id         bigint            NOT NULL REFERENCES scores (id) ON DELETE CASCADE,
    author_pseudonym text              NOT NULL,
    level            smallint          NOT NULL CHECK (level BETWEEN 2 AND 4),
    priority         double precision  NOT NULL,
    status           suggestion_status NOT NULL DEFAULT 'new',
    language         text              NOT NULL,
    draft_message    text              NOT NULL,
    service_ids      text[]            NOT NULL DEFAULT '{}',
    sla_due          timestamptz       NOT NULL,
    claimed_by       bigint,
    claimed_until    timestamptz,
    created_at       timestamptz       NOT NULL DEFAULT now(),
    updated_at       timestamptz       NOT NULL DEFAULT now(),
    purge_after      timestamptz       NOT NULL
);
CREATE INDEX suggestions_queue_idx ON suggestions (status, priority DESC, sla_due);
CREATE INDEX suggestions_author_idx ON suggestions (author_pseudonym, created_at);

CREATE TABLE users (
    id             bigserial   PRIMARY KEY,
    username       text        NOT NULL UNIQUE,
    display_name   text        NOT NULL,
    role           user_role   NOT NULL,
    password_hash  text,
    active         boolean     NOT NULL DEFAULT true,
    created_at     timestamptz NOT NULL DEFAULT now()
);
ALTER TABLE suggestions
    ADD CONSTRAINT suggestions_claimed_by_fk FOREIGN KEY (claimed_by) REFERENCES users (id);

-- Append-only audit log (invariant 6). Details hold ids and counts, never text.
CREATE TABLE audit_log (
    id           bigserial   PRIMARY KEY,
    occurred_at  timestamptz NOT NULL DEFAULT now(),
    actor        text        NOT NULL,
    actor_role   text        NOT NULL,
    action       text        NOT NULL,
    object_type  text,
    object_id    text,
    details      jsonb       NOT NULL DEFAULT '{}'::jsonb,
    purge_after  timestamptz NOT NULL
);
CREATE INDEX audit_log_occurred_idx ON audit_log (occurred_at);

-- Updates and deletes are refused for everyone; only the retention purge may delete
-- expired rows, and it must say so explicitly in its own transaction.
CREATE FUNCTION audit_log_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE'
       AND current_setting('majakka.audit_retention_purge', true) = 'on'
       AND OLD.purge_after < now() THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'audit_log is append-only (% refused)', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER audit_log_append_only
    BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_guard();
CREATE FUNCTION audit_log_no_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only (TRUNCATE refused)'
        USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER audit_log_no_truncate
    BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_no_truncate();
REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM PUBLIC;
