-- Keyed jobs: at most one queued job per key (a conversation's timer is
-- one job, rescheduled as the conversation's activity moves its deadline).
-- NULL keys never conflict, so ordinary jobs are unaffected.
ALTER TABLE jobs ADD COLUMN dedupe_key TEXT;
CREATE UNIQUE INDEX jobs_dedupe_key ON jobs (dedupe_key);

-- The virtual clock's reading, so that a restarted emulator resumes at the
-- time it had reached instead of jumping back to the wall clock.
CREATE TABLE virtual_clock (
    name    TEXT PRIMARY KEY,
    instant BIGINT NOT NULL
);
