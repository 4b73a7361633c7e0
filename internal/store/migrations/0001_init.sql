-- Written once for both engines (PostgreSQL gets "INTEGER PRIMARY KEY" as an
-- identity column). Times are Unix milliseconds (UTC); booleans are 0/1. Every table has an
-- integer seq: lists page by it (keyset), never by OFFSET.
CREATE TABLE accounts (
    sid                           TEXT PRIMARY KEY,
    auth_token                    TEXT NOT NULL,
    friendly_name                 TEXT NOT NULL,
    default_service_sid           TEXT NOT NULL,
    default_messaging_service_sid TEXT,
    default_inactive_timer        TEXT,
    default_closed_timer          TEXT,
    date_created                  BIGINT NOT NULL,
    date_updated                  BIGINT NOT NULL
);

CREATE TABLE services (
    seq                                   INTEGER PRIMARY KEY,
    sid                                   TEXT NOT NULL UNIQUE,
    account_sid                           TEXT NOT NULL REFERENCES accounts (sid) ON DELETE CASCADE,
    friendly_name                         TEXT NOT NULL,
    default_conversation_creator_role_sid TEXT NOT NULL,
    default_conversation_role_sid         TEXT NOT NULL,
    default_chat_service_role_sid         TEXT NOT NULL,
    reachability_enabled                  INTEGER NOT NULL DEFAULT 0,
    date_created                          BIGINT NOT NULL,
    date_updated                          BIGINT NOT NULL
);
CREATE INDEX services_account ON services (account_sid, seq);

CREATE TABLE roles (
    seq           INTEGER PRIMARY KEY,
    sid           TEXT NOT NULL UNIQUE,
    account_sid   TEXT NOT NULL,
    service_sid   TEXT NOT NULL REFERENCES services (sid) ON DELETE CASCADE,
    friendly_name TEXT NOT NULL,
    type          TEXT NOT NULL,
    permissions   TEXT NOT NULL,
    date_created  BIGINT NOT NULL,
    date_updated  BIGINT NOT NULL
);
CREATE INDEX roles_service ON roles (service_sid, seq);

CREATE TABLE conversations (
    seq                   INTEGER PRIMARY KEY,
    sid                   TEXT NOT NULL UNIQUE,
    account_sid           TEXT NOT NULL,
    service_sid           TEXT NOT NULL REFERENCES services (sid) ON DELETE CASCADE,
    messaging_service_sid TEXT,
    friendly_name         TEXT,
    unique_name           TEXT,
    attributes            TEXT NOT NULL,
    state                 TEXT NOT NULL,
    timer_inactive        TEXT,
    timer_closed          TEXT,
    date_inactive         BIGINT,
    date_closed           BIGINT,
    last_message_index    BIGINT,
    date_created          BIGINT NOT NULL,
    date_updated          BIGINT NOT NULL,
    UNIQUE (service_sid, unique_name)
);
CREATE INDEX conversations_service ON conversations (service_sid, seq);

CREATE TABLE participants (
    seq                     INTEGER PRIMARY KEY,
    sid                     TEXT NOT NULL UNIQUE,
    account_sid             TEXT NOT NULL,
    service_sid             TEXT NOT NULL,
    conversation_sid        TEXT NOT NULL REFERENCES conversations (sid) ON DELETE CASCADE,
    identity                TEXT,
    attributes              TEXT NOT NULL,
    role_sid                TEXT,
    binding_type            TEXT,
    binding_address         TEXT,
    binding_proxy_address   TEXT,
    binding_projected       TEXT,
    last_read_message_index BIGINT,
    last_read_timestamp     BIGINT,
    date_created            BIGINT NOT NULL,
    date_updated            BIGINT NOT NULL,
    UNIQUE (conversation_sid, identity)
);
CREATE INDEX participants_conversation ON participants (conversation_sid, seq);
CREATE INDEX participants_identity ON participants (service_sid, identity);

CREATE TABLE messages (
    seq              INTEGER PRIMARY KEY,
    sid              TEXT NOT NULL UNIQUE,
    account_sid      TEXT NOT NULL,
    service_sid      TEXT NOT NULL,
    conversation_sid TEXT NOT NULL REFERENCES conversations (sid) ON DELETE CASCADE,
    idx              BIGINT NOT NULL,
    author           TEXT NOT NULL,
    body             TEXT,
    attributes       TEXT NOT NULL,
    participant_sid  TEXT,
    media_sid        TEXT,
    content_sid      TEXT,
    subject          TEXT,
    date_created     BIGINT NOT NULL,
    date_updated     BIGINT NOT NULL,
    UNIQUE (conversation_sid, idx)
);

CREATE TABLE users (
    seq           INTEGER PRIMARY KEY,
    sid           TEXT NOT NULL UNIQUE,
    account_sid   TEXT NOT NULL,
    service_sid   TEXT NOT NULL REFERENCES services (sid) ON DELETE CASCADE,
    identity      TEXT NOT NULL,
    friendly_name TEXT,
    attributes    TEXT NOT NULL,
    role_sid      TEXT,
    date_created  BIGINT NOT NULL,
    date_updated  BIGINT NOT NULL,
    UNIQUE (service_sid, identity)
);
CREATE INDEX users_service ON users (service_sid, seq);
