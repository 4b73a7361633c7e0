package storetest

import (
	"errors"
	"fmt"
	"testing"
	"time"

	parley "github.com/parley-dev/parley"
)

// logEvent queues one event of object in tx.
func logEvent(tx parley.Tx, object string, n int) {
	tx.LogSyncEvent(&parley.SyncEvent{Object: object, ObjectType: "list", EventType: "list_item_added",
		Data: []byte(fmt.Sprintf(`{"list_sid":%q,"item_index":%d}`, object, n))})
}

// wantLog checks that object's log holds exactly the IDs 1..n in order and
// its counter says n.
func wantLog(t *testing.T, s parley.Store, object string, n int) {
	t.Helper()
	read(t, s, func(tx parley.Tx) error {
		evs, err := tx.SyncEvents(object, 0, n+10)
		if err != nil {
			return err
		}
		if len(evs) != n {
			t.Errorf("%s: %d events logged, want %d", object, len(evs), n)
		}
		for i, ev := range evs {
			if ev.ID != int64(i+1) {
				t.Fatalf("%s: event %d has id %d, want %d (a gap or a repeat)", object, i, ev.ID, i+1)
			}
		}
		last, err := tx.LastSyncEventID(object)
		if err == nil && last != int64(n) {
			t.Errorf("%s: counter %d, want %d", object, last, n)
		}
		return err
	})
}

// testSyncEventIDs: concurrent writers on one object get 1..N with no gap,
// several events of one write take consecutive IDs, and IDs are per object.
func testSyncEventIDs(t *testing.T, s parley.Store) {
	const writers = 40
	a, b := "ES"+parley.NewSID(parley.PrefixConversation), "MP"+parley.NewSID(parley.PrefixConversation)
	errs := concurrentWrites(s, writers, func(tx parley.Tx, i int) error {
		// Queued out of object order on purpose: the store orders them.
		logEvent(tx, b, i)
		logEvent(tx, a, i)
		logEvent(tx, a, i)
		return nil
	})
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
	wantLog(t, s, a, 2*writers)
	wantLog(t, s, b, writers)
	read(t, s, func(tx parley.Tx) error {
		evs, err := tx.SyncEvents(a, 0, 2*writers)
		for i := 0; err == nil && i+1 < len(evs); i += 2 {
			// One write's two events are adjacent.
			if string(evs[i].Data) != string(evs[i+1].Data) {
				t.Errorf("events %d and %d come from different writes: %s, %s", evs[i].ID, evs[i+1].ID, evs[i].Data, evs[i+1].Data)
			}
		}
		if none, err2 := tx.LastSyncEventID("ES-never-written"); err2 != nil || none != 0 {
			t.Errorf("unknown object: last id %d, %v; want 0", none, err2)
		}
		return err
	})
}

// testSyncEventsOfFailedWrites: writes that fail among concurrent ones
// (group-commit members rolled back to their savepoints) leave no gap.
func testSyncEventsOfFailedWrites(t *testing.T, s parley.Store) {
	const writers = 60
	object := "ES" + parley.NewSID(parley.PrefixConversation)
	refused := errors.New("refused after logging")
	errs := concurrentWrites(s, writers, func(tx parley.Tx, i int) error {
		logEvent(tx, object, i)
		if i%3 == 0 {
			return refused
		}
		return nil
	})
	ok := 0
	for i, err := range errs {
		switch {
		case err == nil:
			ok++
		case i%3 != 0 || !errors.Is(err, refused):
			t.Errorf("write %d: %v", i, err)
		}
	}
	wantLog(t, s, object, ok)
}

// testSyncEventRetention: pruning keeps the newest events of each object and
// those younger than the cut-off, and never lowers the counter.
func testSyncEventRetention(t *testing.T, s parley.Store) {
	a, b := "ES"+parley.NewSID(parley.PrefixConversation), "ET"+parley.NewSID(parley.PrefixConversation)
	for i := 0; i < 10; i++ {
		write(t, s, func(tx parley.Tx) error {
			logEvent(tx, a, i)
			if i < 3 {
				logEvent(tx, b, i)
			}
			return nil
		})
	}
	var n int64
	write(t, s, func(tx parley.Tx) (err error) {
		n, err = tx.PruneSyncEvents(4, time.Time{}, 1000)
		return err
	})
	if n != 6 {
		t.Errorf("pruned %d by count, want 6", n)
	}
	read(t, s, func(tx parley.Tx) error {
		evs, err := tx.SyncEvents(a, 0, 100)
		if err == nil && (len(evs) != 4 || evs[0].ID != 7) {
			t.Errorf("after pruning: %d events from %v, want 4 from 7", len(evs), evs)
		}
		last, _ := tx.LastSyncEventID(a)
		if last != 10 {
			t.Errorf("counter %d after pruning, want 10", last)
		}
		return err
	})
	write(t, s, func(tx parley.Tx) (err error) {
		n, err = tx.PruneSyncEvents(100, tx.Now().Add(time.Hour), 1000)
		return err
	})
	if n != 7 {
		t.Errorf("pruned %d by age, want 7", n)
	}
	write(t, s, func(tx parley.Tx) error { logEvent(tx, b, 9); return nil })
	read(t, s, func(tx parley.Tx) error {
		evs, err := tx.SyncEvents(b, 0, 100)
		if err == nil && (len(evs) != 1 || evs[0].ID != 4) {
			t.Errorf("after pruning all, the next event is %v, want id 4", evs)
		}
		return err
	})
}

// logDocument queues an event of the document object in tx.
func logDocument(tx parley.Tx, object, eventType string, n int) {
	tx.LogSyncEvent(&parley.SyncEvent{Object: object, ObjectType: "document", EventType: eventType,
		Data: []byte(fmt.Sprintf(`{"document_sid":%q,"n":%d}`, object, n))})
}

// testSyncDocumentEvents: a document's events are numbered like any
// object's, but only its newest is kept for replay (it carries the whole
// value); several in one write publish only the last; a list logged beside
// it keeps every event; and pruning the log never loses the document's
// newest value.
func testSyncDocumentEvents(t *testing.T, s parley.Store) {
	doc, list := "ET"+parley.NewSID(parley.PrefixConversation), "ES"+parley.NewSID(parley.PrefixConversation)
	for i := 1; i <= 3; i++ {
		write(t, s, func(tx parley.Tx) error {
			logDocument(tx, doc, "document_updated", i)
			logEvent(tx, list, i)
			return nil
		})
	}
	replay := func(object string, after int64) []parley.SyncEvent {
		t.Helper()
		var evs []parley.SyncEvent
		read(t, s, func(tx parley.Tx) (err error) {
			evs, err = tx.SyncEvents(object, after, 100)
			return err
		})
		return evs
	}
	evs := replay(doc, 0)
	if len(evs) != 1 || evs[0].ID != 3 || evs[0].ObjectType != "document" || evs[0].EventType != "document_updated" ||
		string(evs[0].Data) != fmt.Sprintf(`{"document_sid":%q,"n":3}`, doc) || evs[0].Date.IsZero() {
		t.Fatalf("document replayed from 0: %+v, want only its newest event, id 3", evs)
	}
	if evs := replay(doc, 3); len(evs) != 0 {
		t.Errorf("document replayed from its newest id: %+v, want nothing", evs)
	}
	wantLog(t, s, list, 3)

	// Two updates and a removal in one write: one event, the removal.
	err := s.Write(ctx, func(tx parley.Tx) error {
		logDocument(tx, doc, "document_updated", 4)
		logDocument(tx, doc, "document_updated", 5)
		logDocument(tx, doc, "document_removed", 6)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if evs := replay(doc, 0); len(evs) != 1 || evs[0].ID != 4 || evs[0].EventType != "document_removed" {
		t.Errorf("after a write of three document events: %+v, want the removal alone, id 4", evs)
	}

	// Pruning everything of the log keeps the document's newest event.
	write(t, s, func(tx parley.Tx) error {
		_, err := tx.PruneSyncEvents(0, tx.Now().Add(time.Hour), 1000)
		return err
	})
	if evs := replay(doc, 0); len(evs) != 1 || evs[0].ID != 4 {
		t.Errorf("after pruning: %+v, want the document's newest event", evs)
	}
	if evs := replay(list, 0); len(evs) != 0 {
		t.Errorf("list after pruning: %+v, want nothing", evs)
	}
}
