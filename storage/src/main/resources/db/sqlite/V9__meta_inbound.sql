-- Meta's WhatsApp callbacks as received (body kept verbatim), and what came of each.
-- status: routed | partial (some changes found no channel) | unroutable | invalid (not a callback).
CREATE TABLE meta_callbacks (
    id          TEXT PRIMARY KEY,
    received_at BIGINT NOT NULL,
    body        TEXT NOT NULL,
    status      TEXT NOT NULL,
    changes     INTEGER NOT NULL,
    relayed     INTEGER NOT NULL,
    duplicates  INTEGER NOT NULL,
    unroutable  INTEGER NOT NULL
);
CREATE INDEX meta_callbacks_unrouted ON meta_callbacks (id) WHERE status <> 'routed';

-- What each number's messaging webhook was already sent: "<wamid>|message", "<wamid>|<status>",
-- or "sha256:<hex of the value>" for changes without message ids. Meta redelivers for days; a key
-- seen before is not relayed again.
CREATE TABLE meta_relayed (
    channel_id  TEXT NOT NULL,
    item_key    TEXT NOT NULL,
    callback_id TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    PRIMARY KEY (channel_id, item_key)
);

-- Channels are found by Meta's ids: columns computed from the state, indexed.
ALTER TABLE entities ADD COLUMN phone_number_id TEXT GENERATED ALWAYS AS (json_extract(state, '$.phone_number_id')) VIRTUAL;
ALTER TABLE entities ADD COLUMN waba_id TEXT GENERATED ALWAYS AS (json_extract(state, '$.waba_account.id')) VIRTUAL;
CREATE INDEX entities_phone_number_id ON entities (phone_number_id) WHERE kind = 'channel';
CREATE INDEX entities_waba_id ON entities (waba_id) WHERE kind = 'channel';

-- One messaging webhook per number.
CREATE UNIQUE INDEX endpoints_messaging_channel ON endpoints (channel_id) WHERE role = 'messaging' AND deleted_at IS NULL;
