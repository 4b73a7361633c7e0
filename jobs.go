package parley

import (
	"errors"
	"time"
)

// Job is one unit of durable background work (a post-event webhook
// delivery, later channel deliveries and timers). Jobs live in the store's
// outbox table: a job enqueued inside a write transaction exists exactly
// when the change that implied it was committed.
type Job struct {
	Seq  int64
	Kind string
	// Key, when set, makes the job one of a kind: enqueueing a job whose
	// key is already queued reschedules that job (run_at, payload) instead
	// of adding a second one. Timers use the conversation as key.
	Key       string
	Payload   []byte // JSON, owned by the job kind
	RunAt     time.Time
	Attempts  int // attempts started so far, this one included once claimed
	LastError *string
}

// Lease is a claim on jobs: Owner holds them until Until. Leases are
// wall-clock times (Now, Until) whatever the store's clock: they detect dead
// workers, which a virtual clock's jumps must not fake.
type Lease struct {
	Owner      string
	Now, Until time.Time
}

// JobsTx is the part of Tx that enqueues and runs durable jobs.
type JobsTx interface {
	// EnqueueJob adds a job to the outbox, or reschedules the queued job
	// with the same Key (releasing it if a worker holds it, so that the
	// new schedule is not lost); it commits with the transaction.
	EnqueueJob(j *Job) error
	// CancelJob removes the queued job with key, if any.
	CancelJob(key string) error
	// ClaimJobs leases up to limit due jobs (run_at <= Now) of kind ("" =
	// any) that no live lease holds, counting one more attempt on each.
	// Concurrent claimers never receive the same job.
	ClaimJobs(limit int, lease Lease, kind string) ([]*Job, error)
	// RenewLeases extends to until every live lease owner holds: the
	// heartbeat of a worker whose jobs are still running.
	RenewLeases(owner string, until time.Time) (int64, error)
	// ReleaseLeases frees at once every lease held by an owner whose name
	// begins with prefix, except keep's: a restarted node takes back the
	// jobs its previous process held when it died.
	ReleaseLeases(prefix, keep string) (int64, error)
	// FinishJob removes a job that is done (delivered or given up), unless
	// EnqueueJob rescheduled it while it ran.
	FinishJob(seq int64) error
	// RetryJob releases a job to run again at runAt.
	RetryJob(seq int64, runAt time.Time, lastError string) error
}

// Notifier is told that a committed transaction enqueued jobs, so a worker
// can run them at once instead of at its next poll.
type Notifier interface {
	Notify()
}

// permanentJobError marks job errors that retrying cannot fix.
type permanentJobError struct{ err error }

func (p permanentJobError) Error() string { return p.err.Error() }
func (p permanentJobError) Unwrap() error { return p.err }

// PermanentJobError wraps a job handler's error so that the job is given up
// at once instead of retried.
func PermanentJobError(err error) error { return permanentJobError{err} }

// IsPermanentJobError reports whether err was wrapped by PermanentJobError.
func IsPermanentJobError(err error) bool { return errors.As(err, new(permanentJobError)) }

// ErrJobSettled is what a job handler returns when its own transaction
// already rescheduled or removed its (keyed) job: the worker then records
// nothing, saving a write transaction per run.
var ErrJobSettled = errors.New("job settled by its handler")
