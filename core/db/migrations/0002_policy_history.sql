-- Every filter policy that ever produced stored text, verbatim, so a DPO can see which
-- rules redacted which row (posts.filter_version) long after the YAML file changed.
CREATE TABLE filter_policies (
    version        text        PRIMARY KEY,
    sha256         text        NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    policy_text    text        NOT NULL,
    first_used_at  timestamptz NOT NULL DEFAULT now()
);

CREATE FUNCTION filter_policies_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'filter_policies is append-only (% refused)', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER filter_policies_append_only
    BEFORE UPDATE OR DELETE ON filter_policies
    FOR EACH ROW EXECUTE FUNCTION filter_policies_immutable();
