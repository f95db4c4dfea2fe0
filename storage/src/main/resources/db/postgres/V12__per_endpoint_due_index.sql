-- Claims look for due work endpoint by endpoint (see JdbcDeliveryQueue): each endpoint's oldest
-- pending rows are one index range, so rows of endpoints that cannot take more (hanging, disabled,
-- waiting for a probe) are never read. It replaces the index on endpoint_id alone, its prefix.
CREATE INDEX deliveries_endpoint_due ON deliveries (endpoint_id, next_attempt_at) WHERE status = 'pending';
DROP INDEX deliveries_endpoint_pending;
