package store_test

import (
	"sync"
	"sync/atomic"
	"testing"

	parley "github.com/parley-dev/parley"
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
// n+1 (each write's reserving SELECT carries its UPDATE and the previous write's INSERT,
// the COMMIT carries the last), where one statement per round trip costs
// 2n+2.
func TestPipelinedRoundTrips(t *testing.T) {
	commits := &commitCounter{}
	proxy, s, _ := openBehindProxy(t, store.Options{Commits: commits})
	f := newWriteFixture(t, s, 8)
	convs := f.convs
	post := func(c *parley.Conversation) error { return f.post(s, c, "hello") }
	const clients, each = 32, 10
	load := func() {
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
	}
	// Statements are prepared on first use (a round trip each), and
	// batches of different sizes use different multi-row statements: the
	// same load once before counting prepares them.
	load()
	syncs0, commits0, writes0 := proxy.syncs.Load(), commits.commits.Load(), commits.writes.Load()
	load()
	trips, batches, writes := proxy.syncs.Load()-syncs0, commits.commits.Load()-commits0, commits.writes.Load()-writes0
	t.Logf("%d message creates in %d batches: %d round trips (%.2f per write; one statement per round trip: %d)",
		writes, batches, trips, float64(trips)/float64(writes), 2*writes+2*batches)
	if trips > writes+batches {
		t.Errorf("%d round trips for %d writes in %d batches, want at most %d", trips, writes, batches, writes+batches)
	}
}
