-- Endpoint health: the current failure streak, cooldown probes, and why an endpoint was disabled.
ALTER TABLE endpoints ADD COLUMN consecutive_failures INTEGER NOT NULL DEFAULT 0;
ALTER TABLE endpoints ADD COLUMN failing_since BIGINT;
ALTER TABLE endpoints ADD COLUMN probe_after BIGINT;
ALTER TABLE endpoints ADD COLUMN disabled_reason TEXT;
ALTER TABLE endpoints ADD COLUMN disabled_at BIGINT;
-- Per-endpoint limits (NULL rate: no rate limit).
ALTER TABLE endpoints ADD COLUMN max_in_flight INTEGER NOT NULL DEFAULT 10;
ALTER TABLE endpoints ADD COLUMN rate_limit_per_second INTEGER;
-- Secret rotation: the previous secret keeps signing until it expires. Both secret columns hold
-- ciphertext (AES-GCM under the operator's master key) from this version on.
ALTER TABLE endpoints ADD COLUMN previous_secret TEXT;
ALTER TABLE endpoints ADD COLUMN previous_secret_expires_at BIGINT;

CREATE INDEX deliveries_endpoint_failed ON deliveries (endpoint_id, created_at) WHERE status = 'failed';
