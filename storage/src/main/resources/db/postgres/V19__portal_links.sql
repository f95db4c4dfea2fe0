-- Portal links (issue 17): a one-time link that signs a partner into the dashboard without its API
-- key. Only the SHA-256 hash of the link's token is kept. used_at is set once, by a single UPDATE
-- that also checks expires_at, so two clicks racing on any number of nodes sign in only once.
CREATE TABLE portal_links (
    token_hash TEXT PRIMARY KEY,
    partner_id TEXT NOT NULL REFERENCES partners (id),
    read_only  INTEGER NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at    BIGINT
);
CREATE INDEX portal_links_partner ON portal_links (partner_id, created_at);
