-- The virtual Sync event log. Each Sync object (a user's info or
-- conversations map, a conversation's document, roster or messages list)
-- has one counter row, bumped in the transaction of the change that caused
-- the event, so its event ids are 1, 2, 3… with no gap; the log rows are
-- what a reconnecting client replays. Retention prunes old rows, never the
-- counter.
CREATE TABLE sync_counters (
    object_sid    TEXT PRIMARY KEY,
    last_event_id BIGINT NOT NULL
);
CREATE TABLE sync_events (
    object_sid  TEXT NOT NULL,
    id          BIGINT NOT NULL,
    object_type TEXT NOT NULL,
    event_type  TEXT NOT NULL,
    data        TEXT NOT NULL,
    date        BIGINT NOT NULL,
    PRIMARY KEY (object_sid, id)
);
CREATE INDEX sync_events_date ON sync_events (date);
