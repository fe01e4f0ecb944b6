-- Decisions that are hard to get wrong, drafts as a record, and time that means something.
-- Dismissal reasons name the real kinds of false alarm (helping someone else, a joke or
-- hyperbole, lyrics or a quote, news) and the real reasons not to reach out (already in care,
-- not reachable); the first kinds become training labels.
ALTER TABLE suggestions DROP CONSTRAINT suggestions_dismiss_reason_check;
ALTER TABLE suggestions ADD CONSTRAINT suggestions_dismiss_reason_check CHECK (dismiss_reason IN (
    'not_distress', 'helping_someone_else', 'joke_or_hyperbole', 'lyrics_or_quote', 'news_or_discussion',
    'already_in_care', 'already_helped', 'not_reachable', 'other'));
-- The message the counsellor actually sent, after the privacy filter, encrypted like post text;
-- it lives and is purged with its suggestion.
ALTER TABLE suggestions ADD COLUMN sent_message_encrypted bytea;
-- Each reviewer reads times in their own time zone (a partner in Sweden works in Stockholm time).
ALTER TABLE users ADD COLUMN time_zone text NOT NULL DEFAULT 'Europe/Helsinki'
    CHECK (time_zone IN ('Europe/Helsinki', 'Europe/Stockholm'));
UPDATE users SET time_zone = 'Europe/Stockholm'
WHERE partner IN (SELECT slug FROM partners WHERE country = 'SE');
