-- One supervisors' report per day: counts and versions only, never text. Re-running the
-- report for a day replaces it (idempotent).
CREATE TABLE daily_reports (
    day          date        PRIMARY KEY,
    report       jsonb       NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    purge_after  timestamptz NOT NULL DEFAULT now() + interval '730 days'
);
