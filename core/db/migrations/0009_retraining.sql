-- Retraining: a shadow candidate that scores beside the active model without touching the
-- queue, and the gate's evaluations of candidates against the active model on the frozen
-- gold set. Shadow scores live in their own table so that nothing reading `scores`
-- (queue, reports, drift) can ever mistake them for the active model's.
ALTER TABLE model_versions ADD COLUMN shadow boolean NOT NULL DEFAULT false;
CREATE UNIQUE INDEX model_versions_one_shadow ON model_versions (shadow) WHERE shadow;
ALTER TABLE model_versions ADD CONSTRAINT model_versions_shadow_not_active CHECK (NOT (shadow AND active));

CREATE TABLE shadow_scores (
    id             bigserial   PRIMARY KEY,
    post_id        bigint      NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    model_version  text        NOT NULL,
    level          smallint    NOT NULL CHECK (level BETWEEN 0 AND 4),
    probabilities  real[]      NOT NULL CHECK (array_length(probabilities, 1) = 5),
    scored_at      timestamptz NOT NULL DEFAULT now(),
    purge_after    timestamptz NOT NULL,
    UNIQUE (post_id, model_version)
);
CREATE INDEX shadow_scores_purge_idx ON shadow_scores (purge_after);

CREATE TABLE model_evaluations (
    id                bigserial   PRIMARY KEY,
    candidate         text        NOT NULL REFERENCES model_versions (version),
    baseline          text        NOT NULL,
    gold_set          text        NOT NULL,
    gold_fingerprint  text        NOT NULL,
    label_export      text,
    passed            boolean     NOT NULL,
    reasons           jsonb       NOT NULL DEFAULT '[]'::jsonb,
    report            jsonb       NOT NULL,
    evaluated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX model_evaluations_candidate_idx ON model_evaluations (candidate, evaluated_at DESC);
