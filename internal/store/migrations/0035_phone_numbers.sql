-- Phone numbers (IncomingPhoneNumbers). A number belongs to one account at
-- a time across the whole server, as a Twilio number does.
CREATE TABLE phone_numbers (
    seq           INTEGER PRIMARY KEY,
    sid           TEXT NOT NULL UNIQUE,
    account_sid   TEXT NOT NULL REFERENCES accounts (sid) ON DELETE CASCADE,
    phone_number  TEXT NOT NULL UNIQUE,
    friendly_name TEXT NOT NULL,
    date_created  BIGINT NOT NULL,
    date_updated  BIGINT NOT NULL
);
CREATE INDEX phone_numbers_account ON phone_numbers (account_sid, seq);
