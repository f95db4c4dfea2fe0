-- A partner has any number of API keys, each stored only as its SHA-256 hash, so that a key can be
-- rolled (a new one while the old keeps working until expires_at) and revoked (revoked_at) without
-- touching the others. prefix is the key's first characters, for people to tell keys apart.
CREATE TABLE api_keys (
    id           TEXT PRIMARY KEY,
    partner_id   TEXT NOT NULL REFERENCES partners (id),
    key_hash     TEXT NOT NULL UNIQUE,
    prefix       TEXT NOT NULL,
    created_at   BIGINT NOT NULL,
    last_used_at BIGINT,
    expires_at   BIGINT,
    revoked_at   BIGINT
);
CREATE INDEX api_keys_partner ON api_keys (partner_id, created_at);

-- Every partner's existing key keeps working: its hash moves here, under an id derived from the
-- partner's (unique, as partner ids are). Its first characters were never stored, so its prefix
-- is only "phk_". partners.api_key_hash stays (SQLite cannot drop a UNIQUE column in place) but is
-- no longer read.
INSERT INTO api_keys (id, partner_id, key_hash, prefix, created_at)
SELECT 'key_' || substr(id, 5), id, api_key_hash, 'phk_', created_at FROM partners;
