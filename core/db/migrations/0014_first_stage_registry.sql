-- The cascade's first stage is a registered model like the transformer: one active version and at
-- most one shadow *per kind*, so a first-stage candidate and a transformer candidate can be shadowed
-- (and rolled back) independently.
DROP INDEX model_versions_one_active;
DROP INDEX model_versions_one_shadow;
CREATE UNIQUE INDEX model_versions_one_active ON model_versions (kind) WHERE active;
CREATE UNIQUE INDEX model_versions_one_shadow ON model_versions (kind) WHERE shadow;
