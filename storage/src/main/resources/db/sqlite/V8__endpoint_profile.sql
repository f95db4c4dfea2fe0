-- How deliveries to an endpoint look and what the endpoint is for.
-- format: the payload format name ('standard', or a provider-compatible one).
ALTER TABLE endpoints ADD COLUMN format TEXT NOT NULL DEFAULT 'standard';
-- The partner's own headers sent on every delivery, as a JSON object sealed like the secrets
-- (they often carry credentials); NULL when there are none.
ALTER TABLE endpoints ADD COLUMN headers TEXT;
-- role: NULL for an ordinary endpoint; 'messaging' for a phone number's messaging webhook (then
-- channel_id names the number); 'default' for the one endpoint a compatibility settings route manages.
ALTER TABLE endpoints ADD COLUMN role TEXT;
ALTER TABLE endpoints ADD COLUMN channel_id TEXT;
