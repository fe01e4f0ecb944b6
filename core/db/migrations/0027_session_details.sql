-- Each person can see where they are signed in (address and browser, as the server saw them) and
-- sign out everywhere else; the number of sessions per account is capped in code.
ALTER TABLE web_sessions ADD COLUMN client text NOT NULL DEFAULT '';
ALTER TABLE web_sessions ADD COLUMN user_agent text NOT NULL DEFAULT '';
