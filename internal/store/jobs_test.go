package store_test

import (
	"context"
	"sync"
	"testing"
	"time"

	parley "github.com/parley-dev/parley"
	"github.com/parley-dev/parley/internal/apitest"
	"github.com/parley-dev/parley/internal/store"
)

// Claims lease each due job to one claimer; released jobs come back with
// one more attempt; finished jobs are gone.
func TestJobClaims(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		db, err := store.Open(context.Background(), apitest.DatabaseURL(t, engine), store.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		ctx := context.Background()
		const n = 40
		write(t, db, func(tx parley.Tx) error {
			for range n {
				if err := tx.EnqueueJob(&parley.Job{Kind: "k", Payload: []byte(`{}`)}); err != nil {
					return err
				}
			}
			// A job due later is not claimed now.
			return tx.EnqueueJob(&parley.Job{Kind: "later", Payload: []byte(`{}`), RunAt: tx.Now().Add(time.Hour)})
		})
		seen := map[int64]int{}
		var mu sync.Mutex
		var wg sync.WaitGroup
		for range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					var jobs []*parley.Job
					err := db.Write(ctx, func(tx parley.Tx) (err error) {
						jobs, err = tx.ClaimJobs(3, lease("test/1", time.Minute), "")
						return err
					})
					if err != nil || len(jobs) == 0 {
						return
					}
					mu.Lock()
					for _, j := range jobs {
						seen[j.Seq]++
					}
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
		if len(seen) != n {
			t.Fatalf("claimed %d distinct jobs, want %d", len(seen), n)
		}
		for seq, times := range seen {
			if times != 1 {
				t.Fatalf("job %d claimed %d times", seq, times)
			}
			write(t, db, func(tx parley.Tx) error { return tx.RetryJob(seq, tx.Now().Add(-time.Second), "boom") })
			break
		}
		var again []*parley.Job
		write(t, db, func(tx parley.Tx) (err error) {
			again, err = tx.ClaimJobs(10, lease("test/1", time.Minute), "")
			return err
		})
		if len(again) != 1 || again[0].Attempts != 2 || again[0].LastError == nil || *again[0].LastError != "boom" {
			t.Fatalf("released job claimed as %+v", again)
		}
		write(t, db, func(tx parley.Tx) error { return tx.FinishJob(again[0].Seq) })
	})
}

func write(t *testing.T, db parley.Store, fn func(tx parley.Tx) error) {
	t.Helper()
	if err := db.Write(context.Background(), fn); err != nil {
		t.Fatal(err)
	}
}

// A keyed job is one row however often it is enqueued; rescheduling it
// while a worker holds it keeps it past that worker's FinishJob; claims can
// be limited to a kind; CancelJob removes it.
func TestKeyedJobs(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		db, err := store.Open(context.Background(), apitest.DatabaseURL(t, engine), store.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		claim := func(kind string) []*parley.Job {
			var jobs []*parley.Job
			write(t, db, func(tx parley.Tx) (err error) {
				jobs, err = tx.ClaimJobs(10, lease("test/1", time.Minute), kind)
				return err
			})
			return jobs
		}
		write(t, db, func(tx parley.Tx) error {
			for _, at := range []time.Duration{time.Hour, -time.Second} { // the second schedule wins
				if err := tx.EnqueueJob(&parley.Job{Kind: "timer", Key: "timer:CH1", Payload: []byte(`{}`), RunAt: tx.Now().Add(at)}); err != nil {
					return err
				}
			}
			return tx.EnqueueJob(&parley.Job{Kind: "other", Payload: []byte(`{}`)})
		})
		got := claim("timer")
		if len(got) != 1 || got[0].Key != "timer:CH1" || got[0].Kind != "timer" {
			t.Fatalf("claimed %+v, want the one keyed timer", got)
		}
		// Rescheduled while held: the holder's FinishJob must not drop it.
		write(t, db, func(tx parley.Tx) error {
			return tx.EnqueueJob(&parley.Job{Kind: "timer", Key: "timer:CH1", Payload: []byte(`{}`), RunAt: tx.Now().Add(-time.Millisecond)})
		})
		write(t, db, func(tx parley.Tx) error { return tx.FinishJob(got[0].Seq) })
		again := claim("timer")
		if len(again) != 1 || again[0].Seq != got[0].Seq || again[0].Attempts != 1 {
			t.Fatalf("rescheduled job claimed as %+v", again)
		}
		write(t, db, func(tx parley.Tx) error { return tx.CancelJob("timer:CH1") })
		if left := claim(""); len(left) != 1 || left[0].Kind != "other" {
			t.Fatalf("after cancel, claimed %+v; want only the other job", left)
		}
	})
}

// lease is a claim by owner for d from now.
func lease(owner string, d time.Duration) parley.Lease {
	now := time.Now()
	return parley.Lease{Owner: owner, Now: now, Until: now.Add(d)}
}
