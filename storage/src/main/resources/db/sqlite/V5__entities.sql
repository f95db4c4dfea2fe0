-- Stateful facts (WhatsApp accounts, clients, channels, API tokens) as one JSON state per kind and id.
CREATE TABLE entities (
    kind       TEXT NOT NULL,
    id         TEXT NOT NULL,
    partner_id TEXT NOT NULL REFERENCES partners (id),
    state      TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (kind, id)
);
CREATE INDEX entities_partner ON entities (partner_id, kind, id);
