-- Inbound channel messages already routed, by the provider's message ID
-- (Twilio's MessageSid, WhatsApp's wamid), so that a provider delivering a
-- webhook again adds its message once.
CREATE TABLE channel_inbound (
    account_sid         TEXT NOT NULL REFERENCES accounts (sid) ON DELETE CASCADE,
    channel_message_sid TEXT NOT NULL,
    conversation_sid    TEXT NOT NULL,
    message_sid         TEXT NOT NULL,
    date_created        BIGINT NOT NULL,
    PRIMARY KEY (account_sid, channel_message_sid)
);
