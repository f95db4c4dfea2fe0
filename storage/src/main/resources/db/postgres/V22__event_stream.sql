-- Issue 16 item 2: the pull stream (GET /v1/stream). Each event remembers the id of the
-- transaction that wrote it (the default is evaluated inside the inserting transaction, so every
-- insert path is covered without code). A reader only shows events of transactions older than
-- its snapshot's xmin: all of those have ended, so nothing can commit later below a cursor it
-- handed out, on any number of nodes. Existing rows all get this migration's transaction id.
ALTER TABLE events ADD COLUMN stream_xid xid8 NOT NULL DEFAULT pg_current_xact_id();
CREATE INDEX events_stream ON events (partner_id, stream_xid, id);

CREATE TABLE stream_consumers (
    partner_id TEXT NOT NULL,
    name TEXT NOT NULL,
    cursor TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (partner_id, name)
);
