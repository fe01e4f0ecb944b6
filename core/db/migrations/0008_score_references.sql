-- Each model's reference distribution of levels: the first scores it gave in this deployment.
-- New batches are compared with it to detect drift (an alert, not a quarantine).
CREATE TABLE score_references (
    model_version  text        PRIMARY KEY,
    level_shares   real[]      NOT NULL CHECK (array_length(level_shares, 1) = 5),
    rows_used      integer     NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now()
);
