-- Push bindings (BS) registered by SDK endpoints, and delivery receipts (DY):
-- the latest channel status of one message to one participant.
CREATE TABLE bindings (
    seq            INTEGER PRIMARY KEY,
    sid            TEXT NOT NULL UNIQUE,
    account_sid    TEXT NOT NULL,
    service_sid    TEXT NOT NULL REFERENCES services (sid) ON DELETE CASCADE,
    credential_sid TEXT,
    endpoint       TEXT NOT NULL,
    identity       TEXT NOT NULL,
    binding_type   TEXT NOT NULL,
    message_types  TEXT NOT NULL,
    date_created   BIGINT NOT NULL,
    date_updated   BIGINT NOT NULL
);
CREATE INDEX bindings_service ON bindings (service_sid, seq);
CREATE INDEX bindings_identity ON bindings (service_sid, identity);

-- Receipts go with their message; they outlive a removed participant, as
-- the participant's messages do.
CREATE TABLE delivery_receipts (
    seq                 INTEGER PRIMARY KEY,
    sid                 TEXT NOT NULL UNIQUE,
    account_sid         TEXT NOT NULL,
    service_sid         TEXT NOT NULL,
    conversation_sid    TEXT NOT NULL REFERENCES conversations (sid) ON DELETE CASCADE,
    message_sid         TEXT NOT NULL REFERENCES messages (sid) ON DELETE CASCADE,
    participant_sid     TEXT NOT NULL,
    channel_message_sid TEXT,
    status              TEXT NOT NULL CHECK (status IN ('sent', 'delivered', 'read', 'failed', 'undelivered')),
    error_code          INTEGER NOT NULL DEFAULT 0,
    date_created        BIGINT NOT NULL,
    date_updated        BIGINT NOT NULL,
    UNIQUE (message_sid, participant_sid)
);
CREATE INDEX delivery_receipts_message ON delivery_receipts (message_sid, seq);
