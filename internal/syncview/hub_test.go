package syncview_test

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	parley "github.com/parley-dev/parley"
	"github.com/parley-dev/parley/internal/apitest"
	"github.com/parley-dev/parley/internal/store"
	"github.com/parley-dev/parley/internal/syncview"
)

// stream records what the hub sends one connection: the event ids, with
// "r" for replayed (strictly ordered) and "l" for live notifications.
type stream struct {
	mu       sync.Mutex
	got      []string
	done     []func()
	identity string
}

func (s *stream) Identity() string       { return s.identity }
func (s *stream) Registered(string) bool { return true }
func (s *stream) EncodeNotification(messageType string, payload []byte) ([]byte, error) {
	var n struct {
		Event struct{ ID int64 } `json:"event"`
	}
	if err := json.Unmarshal(payload, &n); err != nil {
		return nil, err
	}
	kind := "l"
	if messageType == "twilio.sync.event" {
		kind = "r"
	}
	return []byte(fmt.Sprint(kind, n.Event.ID)), nil
}
func (s *stream) Send(frame []byte) { s.Push(frame) }
func (s *stream) Push(frame []byte) {
	s.mu.Lock()
	s.got = append(s.got, string(frame))
	s.mu.Unlock()
}
func (s *stream) AfterClose(fn func()) { s.done = append(s.done, fn) }
func (s *stream) take() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	g := s.got
	s.got = nil
	return g
}

// TestHub: replay then live, per-object order with gaps filled from the
// log, duplicates dropped, a late subscriber catching up.
func TestHub(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		db, err := store.Open(context.Background(), apitest.DatabaseURL(t, engine), store.Options{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		object := "ES" + parley.NewSID(parley.PrefixConversation)
		// log writes n events of object and returns them as committed.
		log := func(n int) []parley.SyncEvent {
			var evs []*parley.SyncEvent
			err := db.Write(context.Background(), func(tx parley.Tx) error {
				evs = nil
				for range n {
					ev := &parley.SyncEvent{Object: object, ObjectType: "list", EventType: "list_item_added", Data: []byte(`{}`)}
					tx.LogSyncEvent(ev)
					evs = append(evs, ev)
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			out := make([]parley.SyncEvent, len(evs))
			for i, ev := range evs {
				out[i] = *ev
			}
			return out
		}
		log(3)
		hub := syncview.NewHub(db, nil)
		a := &stream{}
		if _, err := hub.Subscribe(a, object, 1); err != nil {
			t.Fatal(err)
		}
		if got := a.take(); !slices.Equal(got, []string{"r2", "r3"}) {
			t.Errorf("replay after 1: %v, want r2 r3", got)
		}
		more := log(3) // 4, 5, 6
		// The bus hands over 6 first: 4 and 5 come from the log before it.
		hub.Deliver(more[2:])
		hub.Deliver(more[:2]) // late duplicates: dropped
		if got := a.take(); !slices.Equal(got, []string{"l4", "l5", "l6"}) {
			t.Errorf("live: %v, want l4 l5 l6", got)
		}
		// A second subscriber replays to the hub's position, then both
		// receive the next event once.
		b := &stream{}
		if _, err := hub.Subscribe(b, object, 0); err != nil {
			t.Fatal(err)
		}
		if got := b.take(); !slices.Equal(got, []string{"r1", "r2", "r3", "r4", "r5", "r6"}) {
			t.Errorf("second replay: %v", got)
		}
		hub.Deliver(log(1))
		if ga, gb := a.take(), b.take(); !slices.Equal(ga, []string{"l7"}) || !slices.Equal(gb, []string{"l7"}) {
			t.Errorf("event 7: a %v, b %v", ga, gb)
		}
		// Events committed but not yet through the bus when c subscribes
		// at the hub's position reach it live, once.
		pending := log(2) // 8, 9
		c := &stream{}
		if _, err := hub.Subscribe(c, object, 7); err != nil {
			t.Fatal(err)
		}
		hub.Deliver(pending)
		if gc, ga, gb := c.take(), a.take(), b.take(); !slices.Equal(gc, []string{"l8", "l9"}) || !slices.Equal(ga, gc) || !slices.Equal(gb, gc) {
			t.Errorf("c %v, a %v, b %v; want l8 l9 each", gc, ga, gb)
		}
		// A cancelled or closed subscriber hears nothing more.
		hub.Cancel(b, object)
		for _, fn := range c.done {
			fn()
		}
		hub.Deliver(log(1))
		if ga, gb, gc := a.take(), b.take(), c.take(); !slices.Equal(ga, []string{"l10"}) || len(gb)+len(gc) != 0 {
			t.Errorf("event 10: a %v, b %v, c %v", ga, gb, gc)
		}
		// A client older than the retained log is replayed what the log
		// still holds, then goes live (docs/client-sdk.md).
		if err := db.Write(context.Background(), func(tx parley.Tx) error {
			_, err := tx.PruneSyncEvents(3, time.Time{}, 100)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		d := &stream{}
		if _, err := hub.Subscribe(d, object, 2); err != nil {
			t.Fatal(err)
		}
		if got := d.take(); !slices.Equal(got, []string{"r8", "r9", "r10"}) {
			t.Errorf("behind the log: %v, want r8 r9 r10", got)
		}
	})
}

// TestHubDocument: a document replays as its newest event alone, and a
// live event the bus hands over late is superseded by a newer one the hub
// found in the log: a subscriber sees rising IDs only.
func TestHubDocument(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		db, err := store.Open(context.Background(), apitest.DatabaseURL(t, engine), store.Options{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		object := "ET" + parley.NewSID(parley.PrefixConversation)
		// update commits one document update and returns it as committed.
		update := func() parley.SyncEvent {
			ev := &parley.SyncEvent{Object: object, ObjectType: "document", EventType: "document_updated", Data: []byte(`{}`)}
			if err := db.Write(context.Background(), func(tx parley.Tx) error {
				tx.LogSyncEvent(ev)
				return nil
			}); err != nil {
				t.Fatal(err)
			}
			return *ev
		}
		for range 3 {
			update()
		}
		hub := syncview.NewHub(db, nil)
		a := &stream{}
		if _, err := hub.Subscribe(a, object, 1); err != nil {
			t.Fatal(err)
		}
		if got := a.take(); !slices.Equal(got, []string{"r3"}) {
			t.Errorf("replay after 1: %v, want r3 alone", got)
		}
		// 4, 5 and 6 commit; the bus hands over 5 first. Filling the gap
		// before it, the hub finds 6 in the log, which supersedes 4 and 5:
		// it sends 6 alone, and nothing older after it.
		four, five, six := update(), update(), update()
		hub.Deliver([]parley.SyncEvent{five})
		hub.Deliver([]parley.SyncEvent{four, six})
		if got := a.take(); !slices.Equal(got, []string{"l6"}) {
			t.Errorf("live: %v, want l6 alone", got)
		}
		// In order, each arrives.
		hub.Deliver([]parley.SyncEvent{update()})
		hub.Deliver([]parley.SyncEvent{update()})
		if got := a.take(); !slices.Equal(got, []string{"l7", "l8"}) {
			t.Errorf("live in order: %v, want l7 l8", got)
		}
	})
}
