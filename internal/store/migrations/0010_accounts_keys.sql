-- Sub-accounts and API keys. An account belongs to an owner: a root
-- account owns itself (Twilio's owner_account_sid of a main account is its
-- own sid), a sub-account its parent. seq orders an owner's accounts for
-- keyset paging: the owner itself is 0, its sub-accounts count from 1.
ALTER TABLE accounts ADD COLUMN owner_account_sid TEXT;
ALTER TABLE accounts ADD COLUMN status TEXT NOT NULL DEFAULT 'active';
ALTER TABLE accounts ADD COLUMN seq BIGINT NOT NULL DEFAULT 0;
UPDATE accounts SET owner_account_sid = sid;
CREATE UNIQUE INDEX accounts_owner ON accounts (owner_account_sid, seq);

-- API keys: the secret is sealed under the master key (not hashed), since
-- HS256 access tokens are verified with the secret itself.
CREATE TABLE api_keys (
    seq           INTEGER PRIMARY KEY,
    sid           TEXT NOT NULL UNIQUE,
    account_sid   TEXT NOT NULL REFERENCES accounts (sid) ON DELETE CASCADE,
    friendly_name TEXT,
    sealed        TEXT NOT NULL,
    date_created  BIGINT NOT NULL,
    date_updated  BIGINT NOT NULL
);
CREATE INDEX api_keys_account ON api_keys (account_sid, seq);
