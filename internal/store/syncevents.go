package store

import (
	"cmp"
	"database/sql"
	"errors"
	"slices"
	"time"

	parley "github.com/parley-dev/parley"
)

// The Sync event log (parley.EventLogTx). Events are queued while a write's
// function runs and logged when it returns: after the domain change, so a
// counter row is locked for as short a time as possible, and in object SID
// order, so concurrent writers never take two counters in opposite orders.

func (t *tx) LogSyncEvent(ev *parley.SyncEvent) {
	t.queued = append(t.queued, ev)
}

// logQueued gives the queued events their IDs and writes them to the log:
// one counter bump per object (several events of one object take a range),
// then one row per event. The counter statement is the same on both
// engines; on PostgreSQL its row lock serialises writers of one object
// across processes until their commits.
func (t *tx) logQueued() error {
	if len(t.queued) == 0 {
		return nil
	}
	evs := t.queued
	t.queued = nil
	slices.SortStableFunc(evs, func(a, b *parley.SyncEvent) int { return cmp.Compare(a.Object, b.Object) })
	for i := 0; i < len(evs); {
		j := i + 1
		for j < len(evs) && evs[j].Object == evs[i].Object {
			j++
		}
		n := int64(j - i)
		var last int64
		if err := t.queryRow(`INSERT INTO sync_counters (object_sid, last_event_id) VALUES ($1, $2)
			ON CONFLICT (object_sid) DO UPDATE SET last_event_id = sync_counters.last_event_id + $2
			RETURNING last_event_id`, evs[i].Object, n).Scan(&last); err != nil {
			return err
		}
		for k, ev := range evs[i:j] {
			ev.ID, ev.Date = last-n+1+int64(k), t.now
			if _, err := t.exec(`INSERT INTO sync_events (object_sid, id, object_type, event_type, data, date)
				VALUES ($1, $2, $3, $4, $5, $6)`, ev.Object, ev.ID, ev.ObjectType, ev.EventType, string(ev.Data), millis(ev.Date)); err != nil {
				return err
			}
			t.logged = append(t.logged, *ev)
		}
		i = j
	}
	return nil
}

func (t *tx) SyncEvents(object string, after int64, limit int) ([]parley.SyncEvent, error) {
	rows, err := t.query(`SELECT id, object_type, event_type, data, date FROM sync_events
		WHERE object_sid = $1 AND id > $2 ORDER BY id LIMIT $3`, object, after, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []parley.SyncEvent
	for rows.Next() {
		ev := parley.SyncEvent{Object: object}
		var data string
		var date int64
		if err := rows.Scan(&ev.ID, &ev.ObjectType, &ev.EventType, &data, &date); err != nil {
			return nil, err
		}
		ev.Data, ev.Date = []byte(data), fromMillis(date)
		out = append(out, ev)
	}
	return out, rows.Err()
}

func (t *tx) LastSyncEventID(object string) (int64, error) {
	var last int64
	err := t.queryRow(`SELECT last_event_id FROM sync_counters WHERE object_sid = $1`, object).Scan(&last)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return last, err
}

func (t *tx) PruneSyncEvents(keep int, before time.Time, limit int) (int64, error) {
	res, err := t.exec(`DELETE FROM sync_events WHERE (object_sid, id) IN (
		SELECT e.object_sid, e.id FROM sync_events e JOIN sync_counters c ON c.object_sid = e.object_sid
		WHERE e.date < $1 OR e.id <= c.last_event_id - $2 LIMIT $3)`, millis(before), keep, limit)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}
