-- Replays (issue 16): a partner's request to send an endpoint the events of a time window again
-- (failed ones, missing ones, or all). A background worker on any node queues them in batches; the
-- row is its durable state, so a restart resumes where the last committed batch ended.
-- which: failed | missing | all. event_types: a JSON array narrowing the endpoint's subscription,
-- NULL for the subscription as it is. state: queued | running | completed | cancelled.
-- cursor_id: the last event id queued (events are walked in id order, which is time order).
-- exhausted: every event of the window has been looked at; the replay completes once its
-- deliveries are no longer pending. lease_token / lease_until: the node working the replay now,
-- so that on PostgreSQL with several nodes only one works it at a time; a lease that runs out
-- lets another node continue. With no token, lease_until is "not before" (a wait between checks).
CREATE TABLE replays (
    id           TEXT PRIMARY KEY,
    partner_id   TEXT NOT NULL REFERENCES partners (id),
    endpoint_id  TEXT NOT NULL REFERENCES endpoints (id),
    which        TEXT NOT NULL,
    since_at     BIGINT NOT NULL,
    until_at     BIGINT NOT NULL,
    event_types  TEXT,
    state        TEXT NOT NULL,
    matched      BIGINT NOT NULL,
    queued       BIGINT NOT NULL DEFAULT 0,
    cursor_id    TEXT,
    exhausted    BOOLEAN NOT NULL,
    lease_token  TEXT,
    lease_until  BIGINT,
    created_at   BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL,
    started_at   BIGINT,
    completed_at BIGINT
);
CREATE INDEX replays_partner ON replays (partner_id, id);
CREATE INDEX replays_endpoint ON replays (endpoint_id, id);
CREATE INDEX replays_unfinished ON replays (created_at) WHERE state IN ('queued', 'running');
-- The replay a delivery was made by (NULL for every other delivery): a replay's progress counts
-- its deliveries by status, one range of this partial index.
ALTER TABLE deliveries ADD COLUMN replay_id TEXT;
CREATE INDEX deliveries_replay ON deliveries (replay_id, status) WHERE replay_id IS NOT NULL;
