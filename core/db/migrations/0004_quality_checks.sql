-- Data-quality results between stages. A failed check quarantines the posts it covered:
-- they stay stored (for the ML engineer and DPO to inspect) but are never queued.
ALTER TABLE posts ADD COLUMN quarantined_at timestamptz;
ALTER TABLE posts ADD COLUMN quarantine_reason text;
CREATE INDEX posts_quarantined_idx ON posts (quarantined_at) WHERE quarantined_at IS NOT NULL;

CREATE TABLE quality_checks (
    id            bigserial   PRIMARY KEY,
    stage         text        NOT NULL,
    suite         text        NOT NULL,
    first_post_id bigint      NOT NULL,
    last_post_id  bigint      NOT NULL,
    rows_checked  integer     NOT NULL,
    passed        boolean     NOT NULL,
    failures      jsonb       NOT NULL DEFAULT '[]'::jsonb,
    checked_at    timestamptz NOT NULL DEFAULT now(),
    purge_after   timestamptz NOT NULL DEFAULT now() + interval '730 days'
);
CREATE INDEX quality_checks_stage_idx ON quality_checks (stage, last_post_id);
