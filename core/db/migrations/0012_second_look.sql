-- A random sample of posts scored below the queue goes to a "second look" list that counsellors label,
-- so that the risk the model misses can be estimated (with its interval) instead of assumed away.
CREATE TABLE second_looks (
    id            bigserial   PRIMARY KEY,
    post_id       bigint      NOT NULL UNIQUE REFERENCES posts (id) ON DELETE CASCADE,
    score_id      bigint      NOT NULL REFERENCES scores (id) ON DELETE CASCADE,
    model_level   smallint    NOT NULL CHECK (model_level BETWEEN 0 AND 4),
    sampled_at    timestamptz NOT NULL DEFAULT now(),
    label         smallint    CHECK (label BETWEEN 0 AND 4),
    labelled_by   bigint      REFERENCES users (id),
    labelled_at   timestamptz,
    purge_after   timestamptz NOT NULL
);
CREATE INDEX second_looks_open_idx ON second_looks (sampled_at) WHERE label IS NULL;
