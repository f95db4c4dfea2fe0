-- The SQLite twin of db/postgres/V1: same tables, same columns, same indexes. Times are
-- epoch milliseconds; BOOLEAN is stored as 0/1 by the driver.
CREATE TABLE partners (
    id           TEXT PRIMARY KEY,
    name         TEXT NOT NULL,
    api_key_hash TEXT NOT NULL UNIQUE,
    created_at   BIGINT NOT NULL
);

CREATE TABLE endpoints (
    id          TEXT PRIMARY KEY,
    partner_id  TEXT NOT NULL REFERENCES partners (id),
    url         TEXT NOT NULL,
    event_types TEXT NOT NULL,          -- JSON array of patterns
    description TEXT,
    enabled     BOOLEAN NOT NULL,
    secret      TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL,
    deleted_at  BIGINT
);
CREATE INDEX endpoints_partner ON endpoints (partner_id, id);

-- subject and data are kept as the JSON text that was accepted (not jsonb), so that deliveries
-- carry exactly the bytes that were published.
CREATE TABLE events (
    id              TEXT PRIMARY KEY,
    partner_id      TEXT NOT NULL REFERENCES partners (id),
    type            TEXT NOT NULL,
    subject         TEXT NOT NULL,
    data            TEXT NOT NULL,
    created_at      BIGINT NOT NULL,
    idempotency_key TEXT
);
CREATE INDEX events_partner_id ON events (partner_id, id);
CREATE UNIQUE INDEX events_idempotency ON events (partner_id, idempotency_key);

-- next_attempt_at is both "due at" (pending, no lease) and "lease expires at" (pending, leased):
-- a claim pushes it forward, so a crashed node's rows fall due again by themselves.
CREATE TABLE deliveries (
    id              TEXT PRIMARY KEY,
    event_id        TEXT NOT NULL REFERENCES events (id),
    endpoint_id     TEXT NOT NULL REFERENCES endpoints (id),
    partner_id      TEXT NOT NULL,
    status          TEXT NOT NULL,
    attempt_count   INTEGER NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    lease_token     TEXT,
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL
);
CREATE INDEX deliveries_due ON deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX deliveries_event ON deliveries (event_id);
CREATE INDEX deliveries_endpoint_pending ON deliveries (endpoint_id) WHERE status = 'pending';

CREATE TABLE attempts (
    id               TEXT PRIMARY KEY,
    delivery_id      TEXT NOT NULL REFERENCES deliveries (id),
    number           INTEGER NOT NULL,
    attempted_at     BIGINT NOT NULL,
    duration_ms      BIGINT NOT NULL,
    http_status      INTEGER,
    error_class      TEXT,
    response_excerpt TEXT
);
CREATE INDEX attempts_delivery ON attempts (delivery_id, number);
