-- The webhook inspector's records (GET /parley/v1/WebhookDeliveries): the
-- most recent calls of each account, kept so they survive a restart and
-- every node of a PostgreSQL deployment shows the same list. One row per
-- delivery (idempotency token); retries update it. The writer trims each
-- account to its newest rows, so the table stays bounded.
CREATE TABLE webhook_deliveries (
    seq         INTEGER PRIMARY KEY,
    account_sid TEXT NOT NULL,
    token       TEXT NOT NULL,
    kind        TEXT NOT NULL,
    event       TEXT NOT NULL,
    url         TEXT NOT NULL,
    method      TEXT NOT NULL,
    attempts    INTEGER NOT NULL,
    last_status INTEGER,
    latency_ms  BIGINT,
    last_error  TEXT,
    request_id  TEXT NOT NULL,
    date        BIGINT NOT NULL
);
CREATE UNIQUE INDEX webhook_deliveries_token ON webhook_deliveries (account_sid, token);
CREATE INDEX webhook_deliveries_recent ON webhook_deliveries (account_sid, seq);
