-- Audit log: one row per change made through the API, written in the change's own transaction.
-- seq orders the log (newest first) and is the pagination cursor; id is what the API shows.
-- before_state / after_state are JSON text with every secret already masked.
CREATE TABLE audit_log (
    seq          INTEGER PRIMARY KEY AUTOINCREMENT,
    id           TEXT NOT NULL UNIQUE,
    partner_id   TEXT,
    actor_type   TEXT NOT NULL,
    actor_id     TEXT,
    action       TEXT NOT NULL,
    target_type  TEXT NOT NULL,
    target_id    TEXT,
    before_state TEXT,
    after_state  TEXT,
    created_at   BIGINT NOT NULL
);
CREATE INDEX audit_log_partner ON audit_log (partner_id, seq);

-- Retention finds old events by age.
CREATE INDEX events_created ON events (created_at);
