-- Threads: a comment records the post or comment it answers, so it can be scored with it and a
-- helper's comment can raise the suggestion about the person it answers. Context is about the
-- conversation, never the person: nothing links posts by author.
ALTER TABLE posts ADD COLUMN parent_source_id text;
CREATE INDEX posts_parent_idx ON posts (source, parent_source_id) WHERE parent_source_id IS NOT NULL;

-- Whose risk a score is about: the writer's own, someone else's in the thread, or nobody's
-- (news, lyrics, jokes, hyperbole, gaming). Scores of models without a "whose" head stay NULL.
ALTER TABLE scores ADD COLUMN whose text CHECK (whose IN ('self', 'other', 'none'));
ALTER TABLE shadow_scores ADD COLUMN whose text CHECK (whose IN ('self', 'other', 'none'));

-- A suggestion raised because of a helper's comment says so, and which comment it was.
ALTER TABLE suggestions ADD COLUMN raised_by_post_id bigint REFERENCES posts (id) ON DELETE SET NULL;
ALTER TABLE suggestions ADD COLUMN raised_reason text;

-- Explanations run in their own step, for queued items only; this marks the scores it has explained
-- (a scorer that explains while scoring, like the lexicon baseline, sets it at insert).
ALTER TABLE scores ADD COLUMN explained_at timestamptz;
UPDATE scores SET explained_at = scored_at;

-- A score about someone else's risk, or nobody's, is routed once (to the parent's suggestion,
-- or nowhere) and marked, so later enqueue runs do not look at it again.
ALTER TABLE scores ADD COLUMN routed_at timestamptz;
