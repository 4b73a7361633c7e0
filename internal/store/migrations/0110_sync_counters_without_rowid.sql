-- A message to a conversation bumps two Sync counters. Keyed by text in a
-- rowid table, each counter lives in two B-trees (the rows and the key's
-- index), so a batch spread over many conversations dirtied twice the pages
-- it needed on SQLite. WITHOUT ROWID keeps each small row in its key's tree;
-- PostgreSQL has no such choice (the dialect drops the words).
CREATE TABLE sync_counters_by_key (
    object_sid    TEXT PRIMARY KEY,
    last_event_id BIGINT NOT NULL
) WITHOUT ROWID;
INSERT INTO sync_counters_by_key (object_sid, last_event_id) SELECT object_sid, last_event_id FROM sync_counters;
DROP TABLE sync_counters;
ALTER TABLE sync_counters_by_key RENAME TO sync_counters;
