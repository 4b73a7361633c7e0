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
