-- Workspaces (ids are the platform's own) with their plan and usage in the current billing period.
CREATE TABLE workspaces (
    id                   TEXT PRIMARY KEY,
    partner_id           TEXT NOT NULL REFERENCES partners (id),
    seats_purchased      BIGINT NOT NULL DEFAULT 0,
    seats_used           BIGINT NOT NULL DEFAULT 0,
    messaging_quota      BIGINT NOT NULL DEFAULT 0,
    messaging_used       BIGINT NOT NULL DEFAULT 0,
    transactions_quota   BIGINT NOT NULL DEFAULT 0,
    transactions_used    BIGINT NOT NULL DEFAULT 0,
    api_calls_quota      BIGINT NOT NULL DEFAULT 0,
    api_calls_used       BIGINT NOT NULL DEFAULT 0,
    billing_period_start BIGINT NOT NULL,
    billing_period_end   BIGINT NOT NULL,
    created_at           BIGINT NOT NULL,
    updated_at           BIGINT NOT NULL
);
CREATE INDEX workspaces_partner ON workspaces (partner_id, id);

-- A threshold fires at most once per period: this key is written in the same transaction as
-- its event, and the primary key refuses a second one.
CREATE TABLE quota_firings (
    workspace_id  TEXT NOT NULL,
    period_start  BIGINT NOT NULL,
    threshold_key TEXT NOT NULL,
    event_id      TEXT NOT NULL,
    fired_at      BIGINT NOT NULL,
    PRIMARY KEY (workspace_id, period_start, threshold_key)
);

CREATE TABLE partner_thresholds (
    partner_id TEXT NOT NULL REFERENCES partners (id),
    quota      TEXT NOT NULL,
    percent    INTEGER NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (partner_id, quota, percent)
);
