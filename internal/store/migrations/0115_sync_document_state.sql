-- A Sync document's event carries its whole value, so a client (live or
-- replaying) needs only the newest; the SDK applies any document event
-- newer than the one it has, gap or not. The newest event of each
-- document now lives in its counter row, written by the counter bump the
-- event needs anyway, and the log holds only list and map events: a
-- message to a conversation writes one log row and one log index entry
-- instead of two.
ALTER TABLE sync_counters ADD COLUMN event_type TEXT;
ALTER TABLE sync_counters ADD COLUMN data TEXT;
ALTER TABLE sync_counters ADD COLUMN date BIGINT;
UPDATE sync_counters SET event_type = e.event_type, data = e.data, date = e.date
    FROM sync_events e
    WHERE e.object_sid = sync_counters.object_sid AND e.id = sync_counters.last_event_id AND e.object_type = 'document';
DELETE FROM sync_events WHERE object_type = 'document';
