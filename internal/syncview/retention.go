package syncview

import (
	"context"
	"time"

	parley "github.com/parley-dev/parley"
)

// PruneJobKind is the keyed job that trims the Sync event log.
const PruneJobKind = "sync-log-prune"

// Retention bounds the Sync event log: per object, the newest Keep events
// and none older than MaxAge. A client whose last_event_id is older than
// what remains is replayed what remains and confirmed at the newest id;
// changes it missed before that are seen when the SDK next reads the
// object (docs/client-sdk.md).
type Retention struct {
	Keep   int
	MaxAge time.Duration
	// Every is how often the prune job runs.
	Every time.Duration
}

// DefaultRetention keeps 1,000 events per object for at most 7 days,
// pruned hourly.
var DefaultRetention = Retention{Keep: 1000, MaxAge: 7 * 24 * time.Hour, Every: time.Hour}

// pruneBatch bounds the rows one run deletes; a full batch runs again at
// once, so a large backlog drains without one long transaction.
const pruneBatch = 10000

const pruneKey = "sync-log-prune"

// Schedule (re)starts the prune job: one job for the whole log, keyed, so
// every node scheduling it at start still leaves one.
func (r Retention) Schedule(ctx context.Context, store parley.Store) error {
	return store.Write(ctx, func(tx parley.Tx) error {
		return tx.EnqueueJob(&parley.Job{Kind: PruneJobKind, Key: pruneKey, Payload: []byte("{}"), RunAt: tx.Now()})
	})
}

// Run is the prune job's handler: it deletes one batch and schedules the
// next run in the same transaction.
func (r Retention) Run(store parley.Store) func(ctx context.Context, j *parley.Job) error {
	return func(ctx context.Context, j *parley.Job) error {
		return store.Write(ctx, func(tx parley.Tx) error {
			n, err := tx.PruneSyncEvents(r.Keep, tx.Now().Add(-r.MaxAge), pruneBatch)
			if err != nil {
				return err
			}
			next := tx.Now().Add(r.Every)
			if n == pruneBatch {
				next = tx.Now()
			}
			return tx.EnqueueJob(&parley.Job{Kind: PruneJobKind, Key: pruneKey, Payload: []byte("{}"), RunAt: next})
		})
	}
}
