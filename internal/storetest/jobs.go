package storetest

import (
	"testing"
	"time"

	parley "github.com/parley-dev/parley"
)

// testJobErrorText: a job's last error is a diagnostic made from whatever a
// remote end answered; text PostgreSQL cannot hold is replaced rather than
// refused, so a retry is never lost to it.
func testJobErrorText(t *testing.T, s parley.Store) {
	j := &parley.Job{Kind: "test", Payload: []byte(`{}`)}
	write(t, s, func(tx parley.Tx) error { return tx.EnqueueJob(j) })
	claim := func() *parley.Job {
		t.Helper()
		var jobs []*parley.Job
		write(t, s, func(tx parley.Tx) (err error) {
			jobs, err = tx.ClaimJobs(10, lease("test/1", time.Minute), "test")
			return err
		})
		if len(jobs) != 1 || jobs[0].Seq != j.Seq {
			t.Fatalf("claimed %d jobs, want job %d", len(jobs), j.Seq)
		}
		return jobs[0]
	}
	claim()
	write(t, s, func(tx parley.Tx) error { return tx.RetryJob(j.Seq, epoch, "HTTP 500: bad\x00 bytes \xff here") })
	got := claim()
	if got.LastError == nil || *got.LastError != "HTTP 500: bad bytes \uFFFD here" {
		t.Errorf("last error = %q", stringOrNil(got.LastError))
	}
	if got.Attempts != 2 {
		t.Errorf("attempts = %d, want 2", got.Attempts)
	}
}

func stringOrNil(s *string) any {
	if s == nil {
		return nil
	}
	return *s
}

// lease is a claim by owner for d from now.
func lease(owner string, d time.Duration) parley.Lease {
	now := time.Now()
	return parley.Lease{Owner: owner, Now: now, Until: now.Add(d)}
}

// testJobLeases: a lease hides a job from other owners until it runs out;
// its owner's heartbeat extends it; releasing a node's leases (a restarted
// node taking back its jobs) frees only that node's, except the keeper's.
func testJobLeases(t *testing.T, s parley.Store) {
	for range 3 {
		write(t, s, func(tx parley.Tx) error { return tx.EnqueueJob(&parley.Job{Kind: "lease", Payload: []byte(`{}`)}) })
	}
	claim := func(owner string, d time.Duration) (n int) {
		t.Helper()
		write(t, s, func(tx parley.Tx) error {
			jobs, err := tx.ClaimJobs(1, lease(owner, d), "lease")
			n = len(jobs)
			return err
		})
		return n
	}
	count := func(fn func(tx parley.Tx) (int64, error)) (n int64) {
		t.Helper()
		write(t, s, func(tx parley.Tx) (err error) { n, err = fn(tx); return err })
		return n
	}
	if claim("a/old", time.Hour)+claim("a/new", time.Hour)+claim("b/1", time.Hour) != 3 {
		t.Fatal("three owners did not claim one job each")
	}
	if n := claim("c/1", time.Hour); n != 0 {
		t.Fatalf("claimed %d leased jobs", n)
	}
	if n := count(func(tx parley.Tx) (int64, error) { return tx.RenewLeases("a/old", time.Now().Add(time.Hour)) }); n != 1 {
		t.Errorf("renewed %d leases of a/old, want 1", n)
	}
	if n := count(func(tx parley.Tx) (int64, error) { return tx.ReleaseLeases("a/", "a/new") }); n != 1 {
		t.Errorf("released %d leases of node a, want 1 (a/old's)", n)
	}
	if n := count(func(tx parley.Tx) (int64, error) { return tx.RenewLeases("a/old", time.Now().Add(time.Hour)) }); n != 0 {
		t.Errorf("a/old renewed %d leases after its release", n)
	}
	if n := claim("c/1", time.Hour); n != 1 {
		t.Fatalf("claimed %d jobs after node a's release, want a/old's one", n)
	}
	if n := claim("c/2", time.Hour); n != 0 {
		t.Errorf("claimed %d jobs that a/new and b/1 hold", n)
	}
	// A lease that ran out without renewal frees its job.
	write(t, s, func(tx parley.Tx) error { return tx.EnqueueJob(&parley.Job{Kind: "lease", Payload: []byte(`{}`)}) })
	if claim("d/1", -time.Second) != 1 || claim("e/1", time.Hour) != 1 {
		t.Error("a job whose lease ran out was not claimed again")
	}
}
