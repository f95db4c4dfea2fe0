-- What each attempt sent: the headers (signatures masked) and the body, cut at 64 KiB. Attempts
-- recorded before this version have neither.
ALTER TABLE attempts ADD COLUMN request_headers TEXT;
ALTER TABLE attempts ADD COLUMN request_body TEXT;
-- Events sent by POST /v1/endpoints/{id}/test carry this mark into their envelope and the log.
ALTER TABLE events ADD COLUMN test BOOLEAN NOT NULL DEFAULT 0;
-- The event log by exact type, newest first, without walking the partner's other events.
CREATE INDEX events_type ON events (partner_id, type, id);
-- status=failed in the event log starts from the (few) failed deliveries, not from every event.
CREATE INDEX deliveries_failed_event ON deliveries (partner_id, event_id) WHERE status = 'failed';
