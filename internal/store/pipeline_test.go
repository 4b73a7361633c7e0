package store_test

import (
	"context"
	"net/url"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	parley "github.com/parley-dev/parley"
	"github.com/parley-dev/parley/internal/apitest"
	"github.com/parley-dev/parley/internal/store"
)

// commitCounter counts commits (CommitObserver).
type commitCounter struct{ commits, writes atomic.Int64 }

func (c *commitCounter) ObserveCommit(writes int) {
	c.commits.Add(1)
	c.writes.Add(int64(writes))
}

// TestPipelinedRoundTrips counts, on the wire, the round trips PostgreSQL's
// writer makes for concurrent message creates: a batch of n of them costs
// n+1 (each write's reserving UPDATE carries the previous write's INSERT,
// the COMMIT carries the last), where one statement per round trip costs
// 2n+2.
func TestPipelinedRoundTrips(t *testing.T) {
	ctx := context.Background()
	direct := apitest.PostgresURL(t)
	u, err := url.Parse(direct)
	if err != nil {
		t.Fatal(err)
	}
	proxy := newCommitCutter(t, u.Host)
	u.Host = proxy.ln.Addr().String()
	commits := &commitCounter{}
	s, err := store.Open(ctx, u.String(), store.Options{Commits: commits})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	epoch := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	acct := &parley.Account{SID: parley.NewSID(parley.PrefixAccount), AuthToken: "token", FriendlyName: "test",
		DefaultServiceSID: parley.NewSID(parley.PrefixService), DateCreated: epoch, DateUpdated: epoch}
	svc := &parley.Service{SID: acct.DefaultServiceSID, AccountSID: acct.SID, FriendlyName: "svc",
		DefaultConversationCreatorRoleSID: parley.NewSID(parley.PrefixRole), DefaultConversationRoleSID: parley.NewSID(parley.PrefixRole),
		DefaultChatServiceRoleSID: parley.NewSID(parley.PrefixRole), DateCreated: epoch, DateUpdated: epoch}
	var convs []*parley.Conversation
	err = s.Write(ctx, func(tx parley.Tx) error {
		if err := tx.CreateAccount(acct); err != nil {
			return err
		}
		if err := tx.CreateService(svc); err != nil {
			return err
		}
		for range 8 {
			c := &parley.Conversation{SID: parley.NewSID(parley.PrefixConversation), AccountSID: acct.SID, ServiceSID: svc.SID,
				Attributes: "{}", State: parley.StateActive, Type: parley.ChannelPrivate, DateCreated: epoch, DateUpdated: epoch}
			convs = append(convs, c)
			if err := tx.CreateConversation(c); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	post := func(c *parley.Conversation) error {
		return s.Write(ctx, func(tx parley.Tx) error {
			_, idx, participant, err := tx.ReserveMessageIndexBy(svc.SID, c.SID, "system")
			if err != nil {
				return err
			}
			body := "hello"
			return tx.CreateMessage(&parley.Message{SID: parley.NewSID(parley.PrefixMessage), AccountSID: acct.SID,
				ServiceSID: svc.SID, ConversationSID: c.SID, Index: idx, Author: "system", Body: &body, Attributes: "{}",
				ParticipantSID: participant, DateCreated: epoch, DateUpdated: epoch})
		})
	}
	for _, c := range convs { // statements are prepared on first use
		if err := post(c); err != nil {
			t.Fatal(err)
		}
	}
	syncs0, commits0, writes0 := proxy.syncs.Load(), commits.commits.Load(), commits.writes.Load()
	const clients, each = 32, 10
	var wg sync.WaitGroup
	for i := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range each {
				if err := post(convs[i%len(convs)]); err != nil {
					t.Error(err)
				}
			}
		}()
	}
	wg.Wait()
	trips, batches, writes := proxy.syncs.Load()-syncs0, commits.commits.Load()-commits0, commits.writes.Load()-writes0
	t.Logf("%d message creates in %d batches: %d round trips (%.2f per write; one statement per round trip: %d)",
		writes, batches, trips, float64(trips)/float64(writes), 2*writes+2*batches)
	if trips > writes+batches {
		t.Errorf("%d round trips for %d writes in %d batches, want at most %d", trips, writes, batches, writes+batches)
	}
}
