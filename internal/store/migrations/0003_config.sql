-- Webhook, notification, push credential and address configurations.
-- The account and service configurations are one row per scope; they have
-- no seq because they are never listed.

-- scope_sid is the account SID for /v1/Configuration/Webhooks and the
-- service SID for /v1/Services/{IS}/Configuration/Webhooks.
CREATE TABLE webhook_configs (
    scope_sid        TEXT PRIMARY KEY,
    account_sid      TEXT NOT NULL REFERENCES accounts (sid) ON DELETE CASCADE,
    service_sid      TEXT REFERENCES services (sid) ON DELETE CASCADE,
    method           TEXT NOT NULL,
    filters          TEXT NOT NULL,
    pre_webhook_url  TEXT,
    post_webhook_url TEXT,
    target           TEXT NOT NULL,
    date_updated     BIGINT NOT NULL
);

CREATE TABLE notification_configs (
    service_sid                TEXT PRIMARY KEY REFERENCES services (sid) ON DELETE CASCADE,
    account_sid                TEXT NOT NULL,
    new_message_enabled        INTEGER NOT NULL,
    new_message_template       TEXT,
    new_message_sound          TEXT,
    new_message_badge_count    INTEGER NOT NULL,
    new_message_media_enabled  INTEGER NOT NULL,
    new_message_media_template TEXT,
    added_enabled              INTEGER NOT NULL,
    added_template             TEXT,
    added_sound                TEXT,
    removed_enabled            INTEGER NOT NULL,
    removed_template           TEXT,
    removed_sound              TEXT,
    log_enabled                INTEGER NOT NULL,
    date_updated               BIGINT NOT NULL
);

CREATE TABLE scoped_webhooks (
    seq              INTEGER PRIMARY KEY,
    sid              TEXT NOT NULL UNIQUE,
    account_sid      TEXT NOT NULL,
    service_sid      TEXT NOT NULL,
    conversation_sid TEXT NOT NULL REFERENCES conversations (sid) ON DELETE CASCADE,
    target           TEXT NOT NULL,
    url              TEXT,
    method           TEXT,
    filters          TEXT NOT NULL,
    triggers         TEXT NOT NULL,
    flow_sid         TEXT,
    replay_after     BIGINT,
    date_created     BIGINT NOT NULL,
    date_updated     BIGINT NOT NULL
);
CREATE INDEX scoped_webhooks_conversation ON scoped_webhooks (conversation_sid, seq);

-- sealed holds the write-only secrets, AES-256-GCM under the master key,
-- base64-encoded so the column is plain text on both engines.
CREATE TABLE credentials (
    seq           INTEGER PRIMARY KEY,
    sid           TEXT NOT NULL UNIQUE,
    account_sid   TEXT NOT NULL REFERENCES accounts (sid) ON DELETE CASCADE,
    friendly_name TEXT,
    type          TEXT NOT NULL,
    sandbox       INTEGER,
    sealed        TEXT NOT NULL,
    date_created  BIGINT NOT NULL,
    date_updated  BIGINT NOT NULL
);
CREATE INDEX credentials_account ON credentials (account_sid, seq);

-- A deleted conversation service falls back to the default service.
CREATE TABLE address_configs (
    seq                     INTEGER PRIMARY KEY,
    sid                     TEXT NOT NULL UNIQUE,
    account_sid             TEXT NOT NULL REFERENCES accounts (sid) ON DELETE CASCADE,
    type                    TEXT NOT NULL,
    address                 TEXT NOT NULL,
    friendly_name           TEXT,
    address_country         TEXT,
    auto_enabled            INTEGER NOT NULL,
    auto_type               TEXT,
    auto_service_sid        TEXT REFERENCES services (sid) ON DELETE SET NULL,
    auto_webhook_url        TEXT,
    auto_webhook_method     TEXT,
    auto_webhook_filters    TEXT NOT NULL,
    auto_studio_flow_sid    TEXT,
    auto_studio_retry_count BIGINT,
    date_created            BIGINT NOT NULL,
    date_updated            BIGINT NOT NULL,
    UNIQUE (account_sid, address)
);
CREATE INDEX address_configs_account ON address_configs (account_sid, seq);
