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
