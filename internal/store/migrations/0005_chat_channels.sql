-- Programmable Chat over the Conversations rows. A Chat service's own
-- settings (read status, typing timeout, limits, pre/post webhooks,
-- notifications, media) are one JSON document on the service row: they are
-- read and written together and never queried by value.
ALTER TABLE services ADD COLUMN chat_settings TEXT NOT NULL DEFAULT '{}';

-- A channel is a conversation. Conversations made through /v1 are private;
-- public channels exist only in Chat. The counters are kept by the same
-- transaction that adds or removes a participant or a message, so a channel
-- renders them without counting rows.
ALTER TABLE conversations ADD COLUMN type TEXT NOT NULL DEFAULT 'private';
ALTER TABLE conversations ADD COLUMN created_by TEXT;
ALTER TABLE conversations ADD COLUMN members_count BIGINT NOT NULL DEFAULT 0;
ALTER TABLE conversations ADD COLUMN messages_count BIGINT NOT NULL DEFAULT 0;
UPDATE conversations SET
    members_count = (SELECT COUNT(*) FROM participants p WHERE p.conversation_sid = conversations.sid),
    messages_count = (SELECT COUNT(*) FROM messages m WHERE m.conversation_sid = conversations.sid);
CREATE INDEX conversations_service_type ON conversations (service_sid, type, seq);

-- Chat's message fields: who edited it last, and whether the body changed.
ALTER TABLE messages ADD COLUMN last_updated_by TEXT;
ALTER TABLE messages ADD COLUMN was_edited INTEGER NOT NULL DEFAULT 0;

-- Invites (IN): pending Chat memberships, one per identity and channel.
CREATE TABLE invites (
    seq          INTEGER PRIMARY KEY,
    sid          TEXT NOT NULL UNIQUE,
    account_sid  TEXT NOT NULL,
    service_sid  TEXT NOT NULL,
    channel_sid  TEXT NOT NULL REFERENCES conversations (sid) ON DELETE CASCADE,
    identity     TEXT NOT NULL,
    role_sid     TEXT,
    created_by   TEXT,
    date_created BIGINT NOT NULL,
    date_updated BIGINT NOT NULL,
    UNIQUE (channel_sid, identity)
);
CREATE INDEX invites_channel ON invites (channel_sid, seq);
