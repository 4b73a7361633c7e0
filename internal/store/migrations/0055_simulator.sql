-- The channel simulator's network: every message it carried to or from a
-- simulated phone, and each phone's delivery outcome. A message to a phone
-- has the delivery's key (message SID / participant SID), unique, so a
-- delivery job retried after a crash is carried once.
CREATE TABLE sim_messages (
    seq              INTEGER PRIMARY KEY,
    sid              TEXT NOT NULL UNIQUE,
    account_sid      TEXT NOT NULL REFERENCES accounts (sid) ON DELETE CASCADE,
    direction        TEXT NOT NULL CHECK (direction IN ('to_phone', 'from_phone')),
    from_address     TEXT NOT NULL,
    to_address       TEXT NOT NULL,
    body             TEXT NOT NULL,
    media_urls       TEXT NOT NULL,
    status           TEXT NOT NULL,
    error_code       INTEGER NOT NULL DEFAULT 0,
    delivery_key     TEXT UNIQUE,
    conversation_sid TEXT,
    reason           TEXT,
    date_created     BIGINT NOT NULL
);
CREATE INDEX sim_messages_account ON sim_messages (account_sid, seq);
CREATE INDEX sim_messages_to ON sim_messages (account_sid, to_address, seq);
CREATE INDEX sim_messages_from ON sim_messages (account_sid, from_address, seq);

CREATE TABLE sim_phones (
    account_sid  TEXT NOT NULL REFERENCES accounts (sid) ON DELETE CASCADE,
    address      TEXT NOT NULL,
    outcome      TEXT NOT NULL,
    error_code   INTEGER NOT NULL DEFAULT 0,
    date_updated BIGINT NOT NULL,
    PRIMARY KEY (account_sid, address)
);

-- Channel deliveries read a conversation's non-chat participants.
CREATE INDEX participants_channel ON participants (conversation_sid, seq) WHERE binding_address IS NOT NULL;
