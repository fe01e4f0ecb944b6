-- Model versions: one row per trained version; exactly one may be active. Scores name
-- their model version (invariant 8), so rollback is switching the active row.
CREATE TABLE model_versions (
    version        text        PRIMARY KEY,
    path           text        NOT NULL,
    kind           text        NOT NULL,
    metrics        jsonb       NOT NULL DEFAULT '{}'::jsonb,
    training_data  jsonb       NOT NULL DEFAULT '{}'::jsonb,
    registered_at  timestamptz NOT NULL DEFAULT now(),
    active         boolean     NOT NULL DEFAULT false,
    activated_at   timestamptz
);
CREATE UNIQUE INDEX model_versions_one_active ON model_versions (active) WHERE active;
