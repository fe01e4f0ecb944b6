-- Nobody on shift: each team states its service hours (shown on /about) and an on-call address.
-- A crisis item that arrives while nobody of the team is signed in is sent there, without post text.
ALTER TABLE teams ADD COLUMN service_hours text CHECK (length(service_hours) <= 200);
ALTER TABLE teams ADD COLUMN on_call_email text CHECK (on_call_email ~ '^[^@[:space:]]+@[^@[:space:]]+$');
