package jobs_test

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	parley "github.com/parley-dev/parley"
	"github.com/parley-dev/parley/internal/apitest"
	"github.com/parley-dev/parley/internal/clock"
	"github.com/parley-dev/parley/internal/jobs"
	"github.com/parley-dev/parley/internal/store"
)

// rig is a real store on a virtual clock with a pool over it.
type rig struct {
	db    *store.DB
	clock *clock.Virtual
	pool  *jobs.Pool
}

func newRig(t *testing.T, engine string) *rig {
	t.Helper()
	vc := clock.NewVirtual(time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC))
	db, err := store.Open(context.Background(), apitest.DatabaseURL(t, engine), store.Options{Clock: vc})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return &rig{db: db, clock: vc, pool: jobs.New(db, jobs.Config{Clock: vc, BackoffBase: time.Minute, Poll: 10 * time.Millisecond})}
}

func (r *rig) enqueue(t *testing.T, j *parley.Job) {
	t.Helper()
	if j.Payload == nil {
		j.Payload = []byte(`{}`)
	}
	if err := r.db.Write(context.Background(), func(tx parley.Tx) error { return tx.EnqueueJob(j) }); err != nil {
		t.Fatal(err)
	}
}

func (r *rig) runDue(t *testing.T, kind string) {
	t.Helper()
	if err := r.pool.RunDue(context.Background(), kind); err != nil {
		t.Fatal(err)
	}
}

// A failed job comes back after its backoff on the pool's clock, not
// before; a job that settles itself (rescheduling its keyed row in its own
// transaction) runs again at its new time.
func TestPoolRetriesAndSettledJobsFollowTheClock(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		r := newRig(t, engine)
		var failing, settling atomic.Int32
		r.pool.Handle("flaky", func(ctx context.Context, j *parley.Job) error {
			if failing.Add(1) == 1 {
				return errors.New("first attempt fails")
			}
			return nil
		})
		r.pool.Handle("timer", func(ctx context.Context, j *parley.Job) error {
			n := settling.Add(1)
			err := r.db.Write(ctx, func(tx parley.Tx) error {
				if n == 2 {
					return tx.CancelJob(j.Key)
				}
				return tx.EnqueueJob(&parley.Job{Kind: "timer", Key: j.Key, Payload: j.Payload, RunAt: tx.Now().Add(time.Hour)})
			})
			if err != nil {
				return err
			}
			return parley.ErrJobSettled
		})
		r.enqueue(t, &parley.Job{Kind: "flaky"})
		r.enqueue(t, &parley.Job{Kind: "timer", Key: "timer:CH1"})

		r.runDue(t, "flaky")
		r.runDue(t, "timer")
		if failing.Load() != 1 || settling.Load() != 1 {
			t.Fatalf("first pass ran flaky %d, timer %d times; want 1 and 1", failing.Load(), settling.Load())
		}
		r.clock.Advance(59 * time.Second) // the retry waits a virtual minute
		r.runDue(t, "flaky")
		r.runDue(t, "timer")
		if failing.Load() != 1 || settling.Load() != 1 {
			t.Fatalf("ran before due: flaky %d, timer %d", failing.Load(), settling.Load())
		}
		r.clock.Advance(time.Second)
		r.runDue(t, "flaky")
		if failing.Load() != 2 {
			t.Fatalf("flaky ran %d times after its backoff, want 2", failing.Load())
		}
		r.clock.Advance(time.Hour)
		r.runDue(t, "timer")
		r.clock.Advance(24 * time.Hour)
		r.runDue(t, "")
		if failing.Load() != 2 || settling.Load() != 2 {
			t.Fatalf("after everything: flaky %d, timer %d; want 2 and 2 (done, cancelled)", failing.Load(), settling.Load())
		}
	})
}

// RunDue returns only once a job of its kind that the background loop is
// running has finished, so a clock move's effects are visible when it
// returns.
func TestRunDueWaitsForBackgroundJobs(t *testing.T) {
	r := newRig(t, "sqlite")
	started, release, finished := make(chan struct{}), make(chan struct{}), atomic.Bool{}
	r.pool.Handle("slow", func(ctx context.Context, j *parley.Job) error {
		close(started)
		<-release
		finished.Store(true)
		return nil
	})
	if err := r.pool.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.pool.Shutdown(context.Background()) })
	r.enqueue(t, &parley.Job{Kind: "slow"})
	r.pool.Notify()
	select {
	case <-started:
	case <-time.After(10 * time.Second):
		t.Fatal("the background loop never ran the job")
	}
	done := make(chan struct{})
	go func() { r.runDue(t, "slow"); close(done) }()
	select {
	case <-done:
		t.Fatal("RunDue returned while the background job still ran")
	case <-time.After(100 * time.Millisecond):
	}
	close(release)
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("RunDue did not return after the job finished")
	}
	if !finished.Load() {
		t.Fatal("RunDue returned before the job finished")
	}
}
