package parley

import (
	"context"
	"time"
)

// Job is one unit of durable background work (a post-event webhook
// delivery, later channel deliveries and timers). Jobs live in the store's
// outbox table: a job enqueued inside a write transaction exists exactly
// when the change that implied it was committed.
type Job struct {
	Seq       int64
	Kind      string
	Payload   []byte // JSON, owned by the job kind
	RunAt     time.Time
	Attempts  int // attempts started so far, this one included once claimed
	LastError *string
}

// JobsTx is the part of Tx that enqueues and runs durable jobs.
type JobsTx interface {
	// EnqueueJob adds a job to the outbox; it commits with the transaction.
	EnqueueJob(j *Job) error
	// ClaimJobs leases up to limit due jobs (run_at <= Now, not leased) until
	// leaseUntil, counting one more attempt on each. Concurrent claimers
	// never receive the same job.
	ClaimJobs(limit int, leaseUntil time.Time) ([]*Job, error)
	// FinishJob removes a job that is done (delivered or given up).
	FinishJob(seq int64) error
	// RetryJob releases a job to run again at runAt.
	RetryJob(seq int64, runAt time.Time, lastError string) error
}

// Notifier is told that a committed transaction enqueued jobs, so a worker
// can run them at once instead of at its next poll.
type Notifier interface {
	Notify()
}

// webhooksKey is the context key of the webhook switch.
type webhooksKey struct{}

// WithWebhooks returns ctx carrying whether the operation it reaches fires
// webhooks. REST surfaces set it from the X-Twilio-Webhook-Enabled header;
// SDK and channel surfaces set it to true. An operation whose context never
// says fires none, so internal callers (bootstrap, tests) stay quiet.
func WithWebhooks(ctx context.Context, enabled bool) context.Context {
	return context.WithValue(ctx, webhooksKey{}, enabled)
}

// WebhooksEnabled reports whether ctx asks for webhooks.
func WebhooksEnabled(ctx context.Context) bool {
	on, _ := ctx.Value(webhooksKey{}).(bool)
	return on
}
