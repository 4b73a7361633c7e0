package storetest

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"

	parley "github.com/parley-dev/parley"
)

// RunShared runs the tests of several stores over ONE database, as several
// Parley processes share one PostgreSQL: their writes must serialise on the
// database itself, not only within a process.
func RunShared(t *testing.T, stores []parley.Store) {
	t.Run("MessageIndexesAcrossStores", func(t *testing.T) { testIndexesAcrossStores(t, stores) })
	t.Run("CrossedLocksAcrossStores", func(t *testing.T) { testCrossedLocks(t, stores) })
	t.Run("ReadAheadAcrossStores", func(t *testing.T) { testReadAheadAcrossStores(t, stores) })
}

// testIndexesAcrossStores: writers of every store post into one conversation
// at once; the indexes are unique and contiguous.
func testIndexesAcrossStores(t *testing.T, stores []parley.Store) {
	f := newFixture(t, stores[0])
	c := f.conversation(t, stores[0], nil)
	const writers, each = 16, 10
	runWriters(t, stores, writers, func(s parley.Store, _ int) error {
		for range each {
			if err := s.Write(ctx, func(tx parley.Tx) error { return f.post(tx, c) }); err != nil {
				return err
			}
		}
		return nil
	})
	checkContiguous(t, stores[len(stores)-1], c, len(stores)*writers*each)
}

// testCrossedLocks: each write posts into two conversations, half of them in
// one order and half in the other, from every store at once. Stores that
// take the two row locks in opposite orders deadlock; the database aborts
// one of them, and the store must run that write again rather than fail it
// or lose it.
func testCrossedLocks(t *testing.T, stores []parley.Store) {
	f := newFixture(t, stores[0])
	a, b := f.conversation(t, stores[0], nil), f.conversation(t, stores[0], nil)
	const writers, each = 6, 8
	runWriters(t, stores, writers, func(s parley.Store, w int) error {
		for range each {
			first, second := a, b
			if rand.IntN(2) == 0 {
				first, second = b, a
			}
			err := s.Write(ctx, func(tx parley.Tx) error {
				if err := f.post(tx, first); err != nil {
					return err
				}
				return f.post(tx, second)
			})
			if err != nil {
				return err
			}
		}
		return nil
	})
	n := len(stores) * writers * each
	checkContiguous(t, stores[0], a, n)
	checkContiguous(t, stores[0], b, n)
}

// testReadAheadAcrossStores: writes that announce their reservations
// (parley.WillReserve), so a batch reads and locks their conversations
// ahead, from every store at once over a few conversations; some also post
// into a second conversation they did not announce, taking its lock in
// whatever order. Indexes stay unique and contiguous, and no write fails.
func testReadAheadAcrossStores(t *testing.T, stores []parley.Store) {
	f := newFixture(t, stores[0])
	var cs []*parley.Conversation
	for range 4 {
		cs = append(cs, f.conversation(t, stores[0], nil))
	}
	const writers, each = 16, 12
	var mu sync.Mutex
	posted := map[string]int{}
	runWriters(t, stores, writers, func(s parley.Store, w int) error {
		for range each {
			first := cs[rand.IntN(len(cs))]
			var second *parley.Conversation
			if rand.IntN(4) == 0 {
				second = cs[rand.IntN(len(cs))]
			}
			hint := parley.Reservation{ServiceSID: f.svc.SID, Conversation: first.SID, Author: "system"}
			err := s.Write(parley.WillReserve(ctx, hint), func(tx parley.Tx) error {
				for _, c := range []*parley.Conversation{first, second} {
					if c == nil {
						continue
					}
					_, idx, _, err := tx.ReserveMessageIndexBy(f.svc.SID, c.SID, "system")
					if err != nil {
						return err
					}
					if err := tx.CreateMessage(&parley.Message{SID: parley.NewSID(parley.PrefixMessage), AccountSID: f.acct.SID,
						ServiceSID: f.svc.SID, ConversationSID: c.SID, Index: idx, Author: "system",
						Attributes: "{}", DateCreated: epoch, DateUpdated: epoch}); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				return err
			}
			mu.Lock()
			posted[first.SID]++
			if second != nil {
				posted[second.SID]++
			}
			mu.Unlock()
		}
		return nil
	})
	for _, c := range cs {
		checkContiguous(t, stores[0], c, posted[c.SID])
	}
}

// runWriters runs writers goroutines per store and fails on any error.
func runWriters(t *testing.T, stores []parley.Store, writers int, fn func(s parley.Store, w int) error) {
	t.Helper()
	var wg sync.WaitGroup
	errs := make(chan error, len(stores)*writers)
	for _, s := range stores {
		for w := range writers {
			wg.Go(func() { errs <- fn(s, w) })
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatalf("concurrent write surfaced an error: %v", err)
		}
	}
}

// post writes one message into c at its next index.
func (f fixture) post(tx parley.Tx, c *parley.Conversation) error {
	idx, err := tx.NextMessageIndex(c.SID)
	if err != nil {
		return err
	}
	body := fmt.Sprint(idx)
	return tx.CreateMessage(&parley.Message{SID: parley.NewSID(parley.PrefixMessage), AccountSID: f.acct.SID,
		ServiceSID: f.svc.SID, ConversationSID: c.SID, Index: idx, Author: "system", Body: &body,
		Attributes: "{}", DateCreated: epoch, DateUpdated: epoch})
}

// checkContiguous checks that c holds n messages indexed 0..n-1 and that its
// counter agrees.
func checkContiguous(t *testing.T, s parley.Store, c *parley.Conversation, n int) {
	t.Helper()
	read(t, s, func(tx parley.Tx) error {
		page, err := tx.ListMessages(c.SID, parley.PageRequest{Size: n})
		if err != nil {
			return err
		}
		if len(page.Items) != n || page.More {
			t.Fatalf("got %d messages (more=%v), want %d", len(page.Items), page.More, n)
		}
		for i, m := range page.Items {
			if m.Index != int64(i) {
				t.Fatalf("position %d has index %d: not contiguous", i, m.Index)
			}
		}
		got, err := tx.Conversation(c.ServiceSID, c.SID)
		if err != nil {
			return err
		}
		if got.MessagesCount != int64(n) {
			t.Errorf("messages_count = %d, want %d", got.MessagesCount, n)
		}
		return nil
	})
}

// testReserveMessageIndex: ReserveMessageIndex finds a conversation by SID or
// unique name within its service, reserves and counts the next index, and a
// rolled-back reservation leaves no gap.
func testReserveMessageIndex(t *testing.T, s parley.Store) {
	f := newFixture(t, s)
	c := f.conversation(t, s, strp("room"))
	for want, id := range []string{c.SID, "room"} {
		write(t, s, func(tx parley.Tx) error {
			got, idx, err := tx.ReserveMessageIndex(f.svc.SID, id)
			if err != nil {
				return err
			}
			if got.SID != c.SID || idx != int64(want) || *got.LastMessageIndex != idx {
				t.Errorf("reserve by %q = %s, index %d (last %v), want %s, %d", id, got.SID, idx, *got.LastMessageIndex, c.SID, want)
			}
			m := &parley.Message{SID: parley.NewSID(parley.PrefixMessage), AccountSID: f.acct.SID, ServiceSID: f.svc.SID,
				ConversationSID: c.SID, Index: idx, Author: "system", Attributes: "{}", DateCreated: epoch, DateUpdated: epoch}
			return tx.CreateMessage(m)
		})
	}
	errRejected := errors.New("rejected")
	if err := s.Write(ctx, func(tx parley.Tx) error {
		if _, _, err := tx.ReserveMessageIndex(f.svc.SID, c.SID); err != nil {
			return err
		}
		return errRejected
	}); !errors.Is(err, errRejected) {
		t.Fatalf("rejected write = %v", err)
	}
	checkContiguous(t, s, c, 2)
	for _, id := range []string{parley.NewSID(parley.PrefixConversation), "nope"} {
		wantCode(t, s.Write(ctx, func(tx parley.Tx) error {
			_, _, err := tx.ReserveMessageIndex(f.svc.SID, id)
			return err
		}), parley.CodeNotFound)
	}
	other := newFixture(t, s)
	wantCode(t, s.Write(ctx, func(tx parley.Tx) error {
		_, _, err := tx.ReserveMessageIndex(other.svc.SID, c.SID)
		return err
	}), parley.CodeNotFound)
}
