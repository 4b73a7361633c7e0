-- Group MMS. Inbound group messages are routed by their members: a phone
-- without proxy address (binding_address) or a projected address, looked
-- up across an account. The simulator keeps every address a group message
-- went to (a JSON array; NULL for a one-to-one message).
CREATE INDEX participants_group_phone ON participants (account_sid, binding_address)
    WHERE binding_address IS NOT NULL AND binding_proxy_address IS NULL;
CREATE INDEX participants_projected ON participants (account_sid, binding_projected)
    WHERE binding_projected IS NOT NULL;
ALTER TABLE sim_messages ADD COLUMN recipients TEXT;
