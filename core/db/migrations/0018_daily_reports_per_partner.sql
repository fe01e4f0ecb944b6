-- One supervisors' report per day and partner: a partner's supervisors see their own partner's
-- report only (its communities, its queue and the national queue if it shares it). The reports
-- written before partners existed were the single deployment's, which is the partner 'default'.
ALTER TABLE daily_reports ADD COLUMN partner text NOT NULL DEFAULT 'default' REFERENCES partners (slug);
ALTER TABLE daily_reports ALTER COLUMN partner DROP DEFAULT;
ALTER TABLE daily_reports DROP CONSTRAINT daily_reports_pkey;
ALTER TABLE daily_reports ADD PRIMARY KEY (day, partner);
