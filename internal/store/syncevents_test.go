package store_test

import (
	"context"
	"errors"
	"sync"
	"testing"

	parley "github.com/parley-dev/parley"
	"github.com/parley-dev/parley/internal/apitest"
	"github.com/parley-dev/parley/internal/store"
)

// heard records what the after-commit hook published.
type heard struct {
	mu     sync.Mutex
	events []parley.SyncEvent
}

func (h *heard) Publish(evs []parley.SyncEvent) {
	h.mu.Lock()
	h.events = append(h.events, evs...)
	h.mu.Unlock()
}

// TestAfterCommitHook: the hook hears the events of every committed write,
// with their IDs, and none of a write that rolled back, whether it ran
// alone or as a member of a group commit.
func TestAfterCommitHook(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		h := &heard{}
		db, err := store.Open(context.Background(), apitest.DatabaseURL(t, engine), store.Options{Events: h})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		const writers = 50
		object := "ES" + parley.NewSID(parley.PrefixConversation)
		refused := errors.New("refused")
		var wg sync.WaitGroup
		var okMu sync.Mutex
		ok := 0
		for i := range writers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				err := db.Write(context.Background(), func(tx parley.Tx) error {
					tx.LogSyncEvent(&parley.SyncEvent{Object: object, ObjectType: "list", EventType: "list_item_added", Data: []byte(`{}`)})
					if i%4 == 0 {
						return refused
					}
					return nil
				})
				if err == nil {
					okMu.Lock()
					ok++
					okMu.Unlock()
				}
			}()
		}
		wg.Wait()
		h.mu.Lock()
		defer h.mu.Unlock()
		if len(h.events) != ok {
			t.Fatalf("published %d events, %d writes committed", len(h.events), ok)
		}
		seen := map[int64]bool{}
		for _, ev := range h.events {
			if ev.ID < 1 || ev.ID > int64(ok) || seen[ev.ID] {
				t.Errorf("published id %d: outside 1..%d or twice", ev.ID, ok)
			}
			seen[ev.ID] = true
		}
	})
}

// kept keeps the published batches as given, reading them only later, as
// the bus's queue does.
type kept struct {
	mu      sync.Mutex
	batches [][]parley.SyncEvent
}

func (k *kept) Publish(evs []parley.SyncEvent) {
	k.mu.Lock()
	k.batches = append(k.batches, evs)
	k.mu.Unlock()
}

// TestPublishedBatchesStayIntact: a published batch belongs to its
// receiver, which may read it long after (the bus queues it): the store
// must not write later batches' events over it. Read after every write,
// the batches hold each committed event exactly once.
func TestPublishedBatchesStayIntact(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		k := &kept{}
		db, err := store.Open(context.Background(), apitest.DatabaseURL(t, engine), store.Options{Events: k})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		const writers = 200
		object := "ES" + parley.NewSID(parley.PrefixConversation)
		var wg sync.WaitGroup
		for range writers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if err := db.Write(context.Background(), func(tx parley.Tx) error {
					tx.LogSyncEvent(&parley.SyncEvent{Object: object, ObjectType: "list", EventType: "list_item_added", Data: []byte(`{}`)})
					return nil
				}); err != nil {
					t.Error(err)
				}
			}()
		}
		wg.Wait()
		k.mu.Lock()
		defer k.mu.Unlock()
		seen := map[int64]int{}
		for _, b := range k.batches {
			for _, ev := range b {
				seen[ev.ID]++
			}
		}
		for id := int64(1); id <= writers; id++ {
			if seen[id] != 1 {
				t.Errorf("event %d is in the published batches %d times", id, seen[id])
			}
		}
	})
}
