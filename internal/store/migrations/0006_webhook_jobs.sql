-- The durable job outbox: a job is written in the same transaction as the
-- change that implies it (post-event webhooks first), claimed by a worker
-- with a lease (locked_until), and deleted when done. A job whose lease
-- ran out (its worker died) is claimed again.
CREATE TABLE jobs (
    seq INTEGER PRIMARY KEY,
    kind         TEXT NOT NULL,
    payload      TEXT NOT NULL,
    run_at       BIGINT NOT NULL,
    attempts     INTEGER NOT NULL DEFAULT 0,
    last_error   TEXT,
    locked_until BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX jobs_due ON jobs (run_at);
