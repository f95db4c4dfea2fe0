-- The subject ids partners filter the event log by, copied out of the subject JSON at publish time
-- (so the filter is an index lookup, not a JSON scan). Events written before this version have none.
ALTER TABLE events ADD COLUMN workspace_id TEXT;
ALTER TABLE events ADD COLUMN channel_id TEXT;
ALTER TABLE events ADD COLUMN phone_number TEXT;
CREATE INDEX events_workspace ON events (partner_id, workspace_id, id) WHERE workspace_id IS NOT NULL;
CREATE INDEX events_channel ON events (partner_id, channel_id, id) WHERE channel_id IS NOT NULL;
CREATE INDEX events_phone ON events (partner_id, phone_number, id) WHERE phone_number IS NOT NULL;
