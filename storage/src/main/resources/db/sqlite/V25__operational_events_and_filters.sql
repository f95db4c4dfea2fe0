-- Operational events (ADR 14): the endpoint state last announced to the partner's other endpoints
-- ('active', 'cooldown', 'failing' or 'disabled') and since when it has been so. A sweep compares
-- it with the endpoint's state and emits endpoint.disabled / endpoint.recovered / endpoint.failing
-- in the same transaction that moves it on. Endpoints already disabled start as announced.
ALTER TABLE endpoints ADD COLUMN announced_state TEXT NOT NULL DEFAULT 'active';
ALTER TABLE endpoints ADD COLUMN announced_at BIGINT;
UPDATE endpoints SET announced_state = 'disabled' WHERE NOT enabled;
-- Subject filter: a JSON object {"workspace_ids":[..],"channel_ids":[..],"phone_numbers":[..]}
-- narrowing the subscription to events about those subjects; NULL = every subject.
ALTER TABLE endpoints ADD COLUMN subject_filter TEXT;
