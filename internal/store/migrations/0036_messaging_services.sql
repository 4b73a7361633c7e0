-- Messaging Services and their sender pools. A number serves one service
-- at a time (the unique phone_number_sid); releasing the number or
-- deleting the service empties its place in the pool.
CREATE TABLE messaging_services (
    seq                 INTEGER PRIMARY KEY,
    sid                 TEXT NOT NULL UNIQUE,
    account_sid         TEXT NOT NULL REFERENCES accounts (sid) ON DELETE CASCADE,
    friendly_name       TEXT NOT NULL,
    inbound_request_url TEXT,
    inbound_method      TEXT NOT NULL,
    fallback_url        TEXT,
    fallback_method     TEXT NOT NULL,
    status_callback     TEXT,
    usecase             TEXT NOT NULL,
    date_created        BIGINT NOT NULL,
    date_updated        BIGINT NOT NULL
);
CREATE INDEX messaging_services_account ON messaging_services (account_sid, seq);

CREATE TABLE messaging_senders (
    seq              INTEGER PRIMARY KEY,
    service_sid      TEXT NOT NULL REFERENCES messaging_services (sid) ON DELETE CASCADE,
    phone_number_sid TEXT NOT NULL UNIQUE REFERENCES phone_numbers (sid) ON DELETE CASCADE,
    date_created     BIGINT NOT NULL
);
CREATE INDEX messaging_senders_service ON messaging_senders (service_sid, seq);
