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
			jobs, err = tx.ClaimJobs(10, time.Now(), time.Now().Add(time.Minute), "test")
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
