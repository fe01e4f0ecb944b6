"""PostgreSQL access: embedded server, connections, migrations."""
