package store

import (
	"cmp"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	parley "github.com/parley-dev/parley"
)

// The Sync event log (parley.EventLogTx). Events are queued while a write's
// function runs and logged when it returns: after the domain change, so a
// counter row is locked for as short a time as possible, and in object SID
// order, so concurrent writers never take two counters in opposite orders.
// A group commit's first pass logs the events of all its writes at once,
// just before its COMMIT (see groupCommitter.runStraight).
//
// A document's event carries its whole value, so only its newest event is
// kept, in the document's counter row, set by the bump that numbers it; the
// log table holds the events of lists and maps. A replay of a document is
// that one event: the SDK applies a document event whenever its ID is above
// the one it has (twilio-sync's SyncDocument), so the gap is harmless.
// Measured with one client over SQLite: a message create wrote 47-49 KiB
// to disk before, 39-40 KiB after (a log row and its index entry fewer).

func (t *tx) LogSyncEvent(ev *parley.SyncEvent) {
	ev.Date = t.now
	t.queued = append(t.queued, ev)
}

// logQueued logs the events the write's function queued.
func (t *tx) logQueued() error {
	logged, err := t.logEvents(t.queued)
	t.queued = nil
	t.logged = append(t.logged, logged...)
	return err
}

// Multi-row statements of the log take at most this many rows, in runs of
// powers of two (see runs), so each has a few shapes, prepared once.
const (
	maxCounterRows = 64
	maxEventRows   = 64
)

// logEvents gives evs their IDs and writes them to the log in two kinds of
// statement, however many objects and events there are: one counter bump
// per object (several events of one object take a range), all objects in a
// multi-row upsert, then the events in a multi-row insert. The counter
// statement is the same on both engines; on PostgreSQL its row locks,
// taken in SID order, serialise writers of one object across processes
// until their commits. It returns the logged events in ID order per object,
// as they are published.
func (t *tx) logEvents(evs []*parley.SyncEvent) ([]parley.SyncEvent, error) {
	if len(evs) == 0 {
		return nil, nil
	}
	slices.SortStableFunc(evs, func(a, b *parley.SyncEvent) int { return cmp.Compare(a.Object, b.Object) })
	evs = dropSuperseded(evs)
	type bump struct {
		object string
		n      int64
	}
	var bumps []bump
	for _, ev := range evs {
		if k := len(bumps) - 1; k >= 0 && bumps[k].object == ev.Object {
			bumps[k].n++
		} else {
			bumps = append(bumps, bump{ev.Object, 1})
		}
	}
	last := make(map[string]int64, len(bumps))
	for from, i := 0, 0; from < len(bumps); {
		n := runs(len(bumps)-from, maxCounterRows)
		args := make([]any, 0, 5*n)
		for _, b := range bumps[from : from+n] {
			// A document's events are all document events, and
			// dropSuperseded left one: the last of its run.
			i += int(b.n)
			if ev := evs[i-1]; isDocument(ev) {
				args = append(args, b.object, b.n, ev.EventType, string(ev.Data), millis(ev.Date))
			} else {
				args = append(args, b.object, b.n, nil, nil, nil)
			}
		}
		if err := t.bumpCounters(n, args, last); err != nil {
			return nil, err
		}
		from += n
	}
	logged := make([]parley.SyncEvent, len(evs))
	listed := make([]*parley.SyncEvent, 0, len(evs))
	for i, b := 0, 0; i < len(evs); b++ {
		first := last[bumps[b].object] - bumps[b].n + 1
		for k := range bumps[b].n {
			evs[i].ID = first + k
			logged[i] = *evs[i]
			if !isDocument(evs[i]) {
				listed = append(listed, &logged[i])
			}
			i++
		}
	}
	for from := 0; from < len(listed); {
		n := runs(len(listed)-from, maxEventRows)
		args := make([]any, 0, 6*n)
		for _, ev := range listed[from : from+n] {
			args = append(args, ev.Object, ev.ID, ev.ObjectType, ev.EventType, string(ev.Data), millis(ev.Date))
		}
		if _, err := t.exec(insertEventsSQL(n), args...); err != nil {
			return nil, err
		}
		from += n
	}
	return logged, nil
}

// dropSuperseded leaves out each document event followed, in the same
// log call, by another event of the same document (an update, or its
// removal): a document's event carries its whole value, so only the last
// one says anything a client (live or replaying) needs. A batch of
// messages to one conversation then publishes one document event, not one
// per message. evs is sorted by object, each object's events in the order
// they happened; the kept ones are numbered afterwards, so the IDs a live
// client sees stay gap-free.
func dropSuperseded(evs []*parley.SyncEvent) []*parley.SyncEvent {
	kept := evs[:0]
	for i, ev := range evs {
		if i+1 < len(evs) && isDocument(ev) && evs[i+1].Object == ev.Object {
			continue
		}
		kept = append(kept, ev)
	}
	return kept
}

// isDocument reports whether ev is a document's: an update or its removal.
func isDocument(ev *parley.SyncEvent) bool { return ev.ObjectType == documentObject }

// documentObject is the Sync object type whose events carry its whole value.
const documentObject = "document"

// bumpCounters adds n counter bumps (in args, per object: its SID, its
// count, and its newest event if it is a document, else three nils) and
// records each object's new last ID in last: an upsert, then a SELECT of
// the rows (one round trip on PostgreSQL's pipeline).
func (t *tx) bumpCounters(n int, args []any, last map[string]int64) error {
	if _, err := t.exec(bumpCountersSQL(n), args...); err != nil {
		return err
	}
	objects := make([]any, n)
	for i := range n {
		objects[i] = args[5*i]
	}
	rows, err := t.query(readCountersSQL(n), objects...)
	if err != nil {
		return err
	}
	defer rows.Close()
	got := 0
	for ; rows.Next(); got++ {
		var object string
		var id int64
		if err := rows.Scan(&object, &id); err != nil {
			return err
		}
		last[object] = id
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if got != n {
		return errors.New("store: a Sync counter bump returned no row")
	}
	return nil
}

// runs is the size of the next run of a multi-row statement over n rows:
// the largest power of two not above n or max.
func runs(n, max int) int {
	r := 1
	for r*2 <= n && r*2 <= max {
		r *= 2
	}
	return r
}

var (
	bumpCountersSQL = multiRow(`INSERT INTO sync_counters (object_sid, last_event_id, event_type, data, date) VALUES `, 5,
		` ON CONFLICT (object_sid) DO UPDATE SET last_event_id = sync_counters.last_event_id + excluded.last_event_id,
		event_type = excluded.event_type, data = excluded.data, date = excluded.date`)
	// The bumped counters are read by a SELECT after the upsert, not by
	// its RETURNING, for the reason reserveMessageIndex gives.
	readCountersSQL = multiRow(`SELECT object_sid, last_event_id FROM sync_counters WHERE object_sid IN (`, 1, `)`)
	insertEventsSQL = multiRow(`INSERT INTO sync_events (object_sid, id, object_type, event_type, data, date) VALUES `, 6, ``)
)

// multiRow returns the text of a statement of n rows of width placeholders
// between head and tail, built once per n.
func multiRow(head string, width int, tail string) func(n int) string {
	var mu sync.Mutex
	built := map[int]string{}
	return func(n int) string {
		mu.Lock()
		defer mu.Unlock()
		if q, ok := built[n]; ok {
			return q
		}
		var b strings.Builder
		b.WriteString(head)
		for r := range n {
			if r > 0 {
				b.WriteString(", ")
			}
			b.WriteByte('(')
			for c := range width {
				if c > 0 {
					b.WriteString(", ")
				}
				fmt.Fprintf(&b, "$%d", r*width+c+1)
			}
			b.WriteByte(')')
		}
		b.WriteString(tail)
		built[n] = b.String()
		return built[n]
	}
}

func (t *tx) SyncEvents(object string, after int64, limit int) ([]parley.SyncEvent, error) {
	rows, err := t.query(`SELECT id, object_type, event_type, data, date FROM sync_events
		WHERE object_sid = $1 AND id > $2
		UNION ALL SELECT last_event_id, '`+documentObject+`', event_type, data, date FROM sync_counters
		WHERE object_sid = $1 AND last_event_id > $2 AND data IS NOT NULL
		ORDER BY id LIMIT $3`, object, after, limit)
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
