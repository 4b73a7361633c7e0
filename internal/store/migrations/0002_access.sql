-- A participant's notification level is per participation (User Conversation
-- resource); unset means "default".
ALTER TABLE participants ADD COLUMN notification_level TEXT NOT NULL DEFAULT 'default';

-- User Conversations and Participant Conversations page an identity's or a
-- binding address's participations by seq.
CREATE INDEX participants_identity_seq ON participants (service_sid, identity, seq);
CREATE INDEX participants_address_seq ON participants (service_sid, binding_address, seq);

-- A role in use cannot be deleted; these keep that check indexed.
CREATE INDEX participants_role ON participants (role_sid);
CREATE INDEX users_role ON users (role_sid);
