-- The push inspector: one row per push (message or event + binding), its
-- retries updating the row, bounded per account like webhook_deliveries.
CREATE TABLE push_deliveries (
    seq          INTEGER PRIMARY KEY,
    account_sid  TEXT NOT NULL,
    key          TEXT NOT NULL,
    kind         TEXT NOT NULL,
    binding_sid  TEXT NOT NULL,
    binding_type TEXT NOT NULL,
    identity     TEXT NOT NULL,
    endpoint     TEXT NOT NULL,
    transport    TEXT NOT NULL,
    attempts     INTEGER NOT NULL,
    last_status  INTEGER,
    outcome      TEXT NOT NULL,
    detail       TEXT,
    title        TEXT NOT NULL,
    body         TEXT NOT NULL,
    request      TEXT,
    date         BIGINT NOT NULL
);
CREATE UNIQUE INDEX push_deliveries_key ON push_deliveries (account_sid, key);
CREATE INDEX push_deliveries_recent ON push_deliveries (account_sid, seq);
