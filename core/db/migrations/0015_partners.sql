-- Municipal partnership: partners as data. Each partner (a municipality or wellbeing region) has
-- its communities, teams and staff; a suggestion about a post from a partner's community belongs
-- to that partner's queue, and one from a shared national community (no partner) to the national
-- queue that the partners with shares_national work together. Today's single deployment becomes
-- the partner 'default', which shares the national queue, so nothing anyone sees changes.
CREATE TABLE partners (
    slug             text        PRIMARY KEY CHECK (slug ~ '^[a-z0-9][a-z0-9-]{1,39}$'),
    name             text        NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    service_name     text        NOT NULL CHECK (length(service_name) BETWEEN 1 AND 200),
    country          text        NOT NULL CHECK (country IN ('FI', 'SE')),
    dpo_contact      text        NOT NULL CHECK (length(dpo_contact) BETWEEN 3 AND 200),
    shares_national  boolean     NOT NULL DEFAULT true,
    created_at       timestamptz NOT NULL DEFAULT now()
);
INSERT INTO partners (slug, name, service_name, country, dpo_contact)
VALUES ('default', 'Oletuskumppani', 'Majakka', 'FI', 'tietosuoja@esimerkkikunta.example');

-- A community belongs to at most one partner; the others are shared national communities.
CREATE TABLE partner_communities (
    source       text        NOT NULL,
    community    text        NOT NULL,
    partner      text        NOT NULL REFERENCES partners (slug),
    assigned_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (source, community)
);
CREATE UNIQUE INDEX partner_communities_name_idx ON partner_communities (source, lower(community));

ALTER TABLE teams ADD COLUMN partner text NOT NULL DEFAULT 'default' REFERENCES partners (slug);
ALTER TABLE users ADD COLUMN partner text NOT NULL DEFAULT 'default' REFERENCES partners (slug);
-- NULL: the national queue.
ALTER TABLE suggestions ADD COLUMN partner text REFERENCES partners (slug);
CREATE INDEX suggestions_partner_idx ON suggestions (partner, level DESC) WHERE status IN ('new', 'claimed');
