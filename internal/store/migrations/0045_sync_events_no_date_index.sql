-- The retention prune selects by date OR by distance from the counter, a
-- condition neither engine answers from this index, so it scans the log
-- either way; the index only cost every logged event one more B-tree
-- insert on the message-create path.
DROP INDEX sync_events_date;
