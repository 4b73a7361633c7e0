-- An (address, proxy address) pair of a non-chat participant is bound in
-- at most one non-closed conversation of an account. binding_open is 1
-- while the pair is held (set on insert, cleared when the conversation
-- closes; deleting the participant or the conversation drops the row), and
-- the partial unique index decides concurrent adds on both engines.
ALTER TABLE participants ADD COLUMN binding_open INTEGER;
CREATE UNIQUE INDEX participants_binding_pair ON participants (account_sid, binding_address, binding_proxy_address)
    WHERE binding_open = 1;
