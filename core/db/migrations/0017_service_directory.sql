-- The service directory is maintained in the app: each saved directory is a new version (like the
-- filter policy), the newest is the one drafts use, and older versions stay readable so an item
-- still shows the service it was offered. With no version saved, the shipped services.yaml is used.
CREATE TABLE service_directories (
    version     text        PRIMARY KEY,
    services    jsonb       NOT NULL,
    saved_by    text        NOT NULL,
    saved_at    timestamptz NOT NULL DEFAULT now(),
    note        text        NOT NULL DEFAULT ''
);
