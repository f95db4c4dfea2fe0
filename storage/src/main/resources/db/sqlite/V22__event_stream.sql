-- Issue 16 item 2: the pull stream (GET /v1/stream). Each event gets its place in commit order.
-- SQLite has one writer at a time, so a counter bumped inside the inserting transaction follows
-- commit order. The trigger keeps every insert path (publish, batch, facts, Meta, test sends) in
-- step without code; rowid is not used because VACUUM (and VACUUM INTO backups) may renumber it.
ALTER TABLE events ADD COLUMN stream_pos INTEGER;
CREATE TABLE stream_counter (id INTEGER PRIMARY KEY CHECK (id = 1), last_value INTEGER NOT NULL);
UPDATE events SET stream_pos = rowid;
INSERT INTO stream_counter (id, last_value) VALUES (1, (SELECT coalesce(max(rowid), 0) FROM events));
CREATE TRIGGER events_stream_pos AFTER INSERT ON events
BEGIN
    UPDATE stream_counter SET last_value = last_value + 1 WHERE id = 1;
    UPDATE events SET stream_pos = (SELECT last_value FROM stream_counter WHERE id = 1) WHERE rowid = NEW.rowid;
END;
CREATE INDEX events_stream ON events (partner_id, stream_pos);

CREATE TABLE stream_consumers (
    partner_id TEXT NOT NULL,
    name TEXT NOT NULL,
    cursor TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (partner_id, name)
);
