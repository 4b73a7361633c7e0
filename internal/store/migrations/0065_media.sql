-- Uploaded media (Twilio's MCS). The bytes live outside the database (the
-- blob store, by SID); a record goes with its service, and with its
-- message once a message carries it. Messages keep what they show of
-- their media (SID, type, name, size) as JSON, so rendering a page of
-- messages reads no other table.
CREATE TABLE media (
    seq              INTEGER PRIMARY KEY,
    sid              TEXT NOT NULL UNIQUE,
    account_sid      TEXT NOT NULL,
    service_sid      TEXT NOT NULL REFERENCES services (sid) ON DELETE CASCADE,
    conversation_sid TEXT,
    message_sid      TEXT REFERENCES messages (sid) ON DELETE CASCADE,
    author           TEXT NOT NULL,
    content_type     TEXT NOT NULL,
    filename         TEXT,
    category         TEXT NOT NULL,
    size             BIGINT NOT NULL,
    date_created     BIGINT NOT NULL,
    date_updated     BIGINT NOT NULL
);
CREATE INDEX media_account ON media (account_sid);
CREATE INDEX media_service ON media (service_sid);
CREATE INDEX media_conversation ON media (conversation_sid);
CREATE INDEX media_message ON media (message_sid);

ALTER TABLE messages ADD COLUMN media TEXT;
