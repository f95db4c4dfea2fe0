-- Retention removes Meta's callbacks and relay dedupe keys oldest first, in batches: without these
-- indexes every batch would scan the whole table.
CREATE INDEX meta_callbacks_received_at ON meta_callbacks (received_at);
CREATE INDEX meta_relayed_created_at ON meta_relayed (created_at);
