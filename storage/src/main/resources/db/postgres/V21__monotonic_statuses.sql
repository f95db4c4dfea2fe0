-- Issue 15 item 3: monotonic message statuses on a number's messaging webhook.
-- status_order: 'as_received' (every status relayed as Meta sent it) or 'monotonic' (a status
-- lower than one already relayed for the same message is not sent).
ALTER TABLE endpoints ADD COLUMN status_order TEXT NOT NULL DEFAULT 'as_received';
-- For a superseded delivery: what made it moot (the status already relayed, for a monotonic relay).
ALTER TABLE deliveries ADD COLUMN superseded_by TEXT;
-- The highest status relayed so far per message (wamid) to each monotonic webhook.
CREATE TABLE message_status_marks (
    endpoint_id TEXT NOT NULL,
    wamid TEXT NOT NULL,
    status_rank INTEGER NOT NULL,
    status TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (endpoint_id, wamid)
);
CREATE INDEX message_status_marks_updated ON message_status_marks (updated_at);
