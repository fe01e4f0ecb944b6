-- Did it help: the service a counsellor pointed the person to when reaching out, and whether the
-- person reported taking it up (NULL: not known), so a partnership learns which services work for whom.
ALTER TABLE suggestions
    ADD COLUMN offered_service text,
    ADD COLUMN service_taken_up boolean;

-- Leaving the partnership: when a partner was off-boarded (its collection stopped, its open items
-- handed back or closed, its stored posts scheduled for purging).
ALTER TABLE partners ADD COLUMN offboarded_at timestamptz;
