-- Least privilege. The role that runs these migrations owns the schema; the app, the CLI and the
-- DAG tasks connect as majakka_app, which owns nothing (so it cannot alter a table or disable the
-- audit log's triggers) and has only the grants below. The embedded server creates both roles
-- with passwords before migrating; on a managed server the operator creates them (see
-- docs/deployment.md). Where majakka_app does not exist and cannot be created here, the grants
-- are skipped with a notice, and the single configured role keeps working as before.
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'majakka_app') THEN
        BEGIN
            CREATE ROLE majakka_app NOLOGIN;
        EXCEPTION WHEN insufficient_privilege THEN
            RAISE NOTICE 'role majakka_app is missing and cannot be created here: grants skipped';
            RETURN;
        END;
    END IF;
    GRANT USAGE ON SCHEMA public TO majakka_app;
    GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO majakka_app;
    GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO majakka_app;
    -- the audit trail is read and appended to, never changed; the schema's history only read
    REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM majakka_app;
    REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON schema_migrations FROM majakka_app;
    -- tables and sequences that later migrations create get the same grants
    ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO majakka_app;
    ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO majakka_app;
END
$$;

-- The retention purge of audit events is the one deletion the audit log allows. It runs with the
-- owner's rights through this function, which deletes only events past their own deadline; the
-- app role may call it but cannot delete anything itself.
CREATE FUNCTION purge_expired_audit_events() RETURNS bigint
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    removed bigint;
BEGIN
    PERFORM set_config('majakka.audit_retention_purge', 'on', true);
    DELETE FROM audit_log WHERE purge_after < now();
    GET DIAGNOSTICS removed = ROW_COUNT;
    PERFORM set_config('majakka.audit_retention_purge', 'off', true);
    RETURN removed;
END;
$$;
REVOKE ALL ON FUNCTION purge_expired_audit_events() FROM PUBLIC;
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'majakka_app') THEN
        GRANT EXECUTE ON FUNCTION purge_expired_audit_events() TO majakka_app;
    END IF;
END
$$;
