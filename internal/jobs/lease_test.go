package jobs_test

import (
	"context"
	"testing"
	"time"

	parley "github.com/parley-dev/parley"
	"github.com/parley-dev/parley/internal/apitest"
	"github.com/parley-dev/parley/internal/jobs"
	"github.com/parley-dev/parley/internal/store"
)

// claimAs claims due jobs of kind as another worker would.
func claimAs(t *testing.T, db *store.DB, owner, kind string) []*parley.Job {
	t.Helper()
	var got []*parley.Job
	err := db.Write(context.Background(), func(tx parley.Tx) (err error) {
		now := time.Now()
		got, err = tx.ClaimJobs(10, parley.Lease{Owner: owner, Now: now, Until: now.Add(time.Hour)}, kind)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// A job that runs longer than its lease keeps it: the heartbeat renews it,
// so no other worker claims it meanwhile.
func TestHeartbeatKeepsLeaseOfRunningJob(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		db, err := store.Open(context.Background(), apitest.DatabaseURL(t, engine), store.Options{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		const lease = time.Second
		pool := jobs.New(db, jobs.Config{Lease: lease, Heartbeat: lease / 5, Poll: 10 * time.Millisecond})
		started, release := make(chan struct{}, 10), make(chan struct{})
		pool.Handle("long", func(ctx context.Context, j *parley.Job) error {
			started <- struct{}{}
			<-release
			return nil
		})
		if err := pool.Start(context.Background()); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { pool.Shutdown(context.Background()) })
		(&rig{db: db}).enqueue(t, &parley.Job{Kind: "long"})
		pool.Notify()
		<-started
		time.Sleep(3 * lease) // three leases long, renewed all along
		if got := claimAs(t, db, "other/1", "long"); len(got) != 0 {
			t.Errorf("another worker claimed the running job (attempt %d)", got[0].Attempts)
		}
		if n := len(started); n != 0 {
			t.Errorf("the job started %d more times while it ran", n)
		}
		close(release)
	})
}

// A node started again takes back at once the jobs its previous process
// held, with their leases still running; other nodes' leases stay.
func TestRestartedNodeTakesBackItsJobs(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		db, err := store.Open(context.Background(), apitest.DatabaseURL(t, engine), store.Options{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		r := &rig{db: db}
		r.enqueue(t, &parley.Job{Kind: "mine"})
		r.enqueue(t, &parley.Job{Kind: "theirs"})
		claimAs(t, db, "node-a/died", "mine")
		claimAs(t, db, "node-b/alive", "theirs")
		pool := jobs.New(db, jobs.Config{Node: "node-a", Poll: 10 * time.Millisecond})
		ran := make(chan string, 2)
		for _, kind := range []string{"mine", "theirs"} {
			pool.Handle(kind, func(ctx context.Context, j *parley.Job) error { ran <- j.Kind; return nil })
		}
		if err := pool.Start(context.Background()); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { pool.Shutdown(context.Background()) })
		select {
		case kind := <-ran:
			if kind != "mine" {
				t.Fatalf("ran %q first, want the job node-a held", kind)
			}
		case <-time.After(30 * time.Second): // its lease had an hour to run
			t.Fatal("the restarted node did not take back its job")
		}
		pool.RunDue(context.Background(), "theirs")
		select {
		case kind := <-ran:
			t.Fatalf("ran %q, a job another node holds", kind)
		default:
		}
	})
}
