-- Issue 15, ordered delivery: an endpoint with ordering 'ordered' gets the deliveries that share
-- an ordering key one at a time, in sequence order. Such deliveries carry their key
-- (events.subject_key); those without one (every delivery to an endpoint with ordering 'none')
-- are never in the index below, so unordered delivery pays nothing for it. A delivery that waits
-- behind an earlier one of its key is pending with next_attempt_at far in the future
-- (JdbcDeliveryQueue.HELD + its sequence), so claims never reach it and the held rows of a key
-- sort by sequence; the index finds a key's head (the lowest next_attempt_at) and its next held
-- row (the lowest at or above HELD) with one probe each. See docs/adr/0011-ordered-delivery.md.
ALTER TABLE endpoints ADD COLUMN ordering TEXT NOT NULL DEFAULT 'none';
ALTER TABLE deliveries ADD COLUMN ordering_key TEXT;
CREATE INDEX deliveries_ordered ON deliveries (endpoint_id, ordering_key, next_attempt_at)
    WHERE status = 'pending' AND ordering_key IS NOT NULL;
