-- Endpoint statistics read an endpoint's attempts by time.
CREATE INDEX attempts_time ON attempts (attempted_at);
CREATE INDEX deliveries_endpoint ON deliveries (endpoint_id, id);
