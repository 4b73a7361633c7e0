package store

import (
	"context"
	"errors"

	parley "github.com/parley-dev/parley"
)

// maxGroup bounds how many write transactions share one commit. On
// PostgreSQL every savepoint that writes takes a subtransaction ID, and a
// transaction with more than 64 of them overflows the per-backend cache
// (PGPROC_MAX_CACHED_SUBXIDS), which makes every other session's snapshots
// slower; a batch stays within it.
const maxGroup = 64

var errClosed = errors.New("store: closed")

// groupCommitter is the store's writer on both engines. Each commit costs a
// flush of the log to disk (SQLite's fsync, PostgreSQL's WAL flush), so
// writes that queue up while one batch commits are run back to back inside
// ONE database transaction and share the next flush. A failing write never
// changes another's outcome: when one fails, the batch is rolled back and
// run again with each write in its own savepoint, where a failing write
// rolls back only itself (see commitTogether). Every caller learns its own
// outcome only after the commit, so an acknowledged write is durable.
//
// On PostgreSQL this also takes the hot conversation's row lock off the
// per-message commit path: a batch reserves the next indexes of a
// conversation one after the other inside one transaction and holds the row
// lock for one flush, not one flush per message. Writers of other Parley
// processes on the same database still wait for that lock, so indexes stay
// unique and contiguous across processes. One batch runs at a time: two
// batches of one process taking row locks in different orders could
// deadlock each other.
type groupCommitter struct {
	db    *DB
	queue chan *pendingWrite
	quit  chan struct{}
	done  chan struct{}
	// missed are the queries the current batch ran unprepared.
	missed []string
	// logged are the Sync events of the batch's successful writes, published
	// when the batch committed; never reused once published.
	logged []parley.SyncEvent
	// queued are the Sync events the writes of a first pass asked for,
	// logged together before its commit.
	queued []*parley.SyncEvent
	// memo is the conversation rows the batch's reservations read.
	memo *reserveMemo
}

type pendingWrite struct {
	ctx    context.Context
	fn     func(parley.Tx) error
	result chan error
}

func newGroupCommitter(db *DB) *groupCommitter {
	g := &groupCommitter{db: db, queue: make(chan *pendingWrite, maxGroup), quit: make(chan struct{}), done: make(chan struct{}),
		memo: newReserveMemo()}
	go g.loop()
	return g
}

// write queues fn and waits for its outcome. Once queued it waits even if ctx
// ends, because the write may already be committing.
func (g *groupCommitter) write(ctx context.Context, fn func(parley.Tx) error) error {
	w := &pendingWrite{ctx: ctx, fn: fn, result: make(chan error, 1)}
	select {
	case g.queue <- w:
	case <-g.quit:
		return errClosed
	case <-ctx.Done():
		return ctx.Err()
	}
	return <-w.result
}

func (g *groupCommitter) close() {
	close(g.quit)
	<-g.done
}

func (g *groupCommitter) loop() {
	defer close(g.done)
	batch := make([]*pendingWrite, 0, maxGroup)
	for {
		select {
		case <-g.quit:
			return
		case first := <-g.queue:
			batch = append(batch[:0], first)
		gather:
			for len(batch) < maxGroup {
				select {
				case w := <-g.queue:
					batch = append(batch, w)
				default:
					break gather
				}
			}
			g.commit(batch)
			g.db.observeCommit(len(batch))
			if len(g.missed) > 0 {
				g.db.writerStmts.prepare(g.missed)
				g.missed = g.missed[:0]
			}
		}
	}
}

// commit runs a batch and reports each write's outcome.
func (g *groupCommitter) commit(batch []*pendingWrite) {
	results, err := g.commitTogether(batch, false)
	if errors.Is(err, errWriteFailed) && len(batch) > 1 {
		// One write failed and took the batch down with it; nothing was
		// committed. The batch runs again with every write in a savepoint
		// of its own, so that failure is the failing write's alone. (A
		// write alone runs again below, without a savepoint.)
		results, err = g.commitTogether(batch, true)
	}
	// After a failure before the commit, or a commit refused for a lost
	// race, nothing of the batch was committed.
	rolledBack := errors.As(err, new(errRolledBack)) || isRetryable(err)
	for i, w := range batch {
		switch {
		case err != nil && results[i] == nil && !rolledBack:
			// The commit itself failed (a broken connection, say): whether
			// it took effect is unknown, so the write is neither
			// acknowledged nor repeated.
			results[i] = err
		case err != nil && results[i] == nil, isRetryable(results[i]):
			// Nothing of the shared transaction was committed, or this
			// write alone lost a race with another process (a deadlock, a
			// serialisation failure) and rolled back to its savepoint: it
			// runs again on its own, the careful way.
			results[i] = g.db.run(w.ctx, g.db.writer, w.fn)
		}
		w.result <- results[i]
	}
}

// commitTogether runs every write of the batch in one transaction. results[i]
// is write i's own error; err is a failure of the transaction itself, after
// which nothing of it was committed unless the failure was the commit's.
//
// Without isolate the writes run straight in the transaction (pipelined on
// PostgreSQL, see pipeline), and the first one that fails rolls all back
// with errWriteFailed; with isolate each runs in a savepoint and every
// statement answers before the next. Writes rarely fail once a request was
// validated, and a savepoint is one more round trip per write on
// PostgreSQL's single writer connection (and a subtransaction), so a batch
// tries without first.
func (g *groupCommitter) commitTogether(batch []*pendingWrite, isolate bool) (results []error, err error) {
	results = make([]error, len(batch))
	// logged gets a new array each batch: a published batch belongs to
	// the bus, which may read it after the next batch began.
	g.logged, g.queued = nil, g.queued[:0]
	g.memo.forget()
	err = g.db.inWriterTx(!isolate, func(b batchTx) error {
		if !isolate {
			if err := g.lockAhead(b, batch); err != nil {
				// A lost race for a lock, say: the pass with
				// savepoints reads nothing ahead.
				b.rollback()
				clear(results)
				return errWriteFailed
			}
		}
		open := "SAVEPOINT write"
		for i, w := range batch {
			if err := w.ctx.Err(); err != nil {
				results[i] = err
				continue
			}
			if !isolate {
				if err := g.runStraight(b, w); err != nil {
					clean := b.rollback()
					if len(batch) == 1 && clean {
						// Every statement answered: the write's own
						// error is its outcome, as a rerun would find.
						results[0] = err
						return errRolledBack{err}
					}
					clear(results)
					return errWriteFailed
				}
				continue
			}
			var shared error
			if results[i], shared = g.runInSavepoint(b, open, w); shared != nil {
				b.rollback()
				return errRolledBack{shared}
			}
			// Releasing one write's savepoint and opening the next one's
			// share a round trip; the commit releases the last.
			open = "RELEASE SAVEPOINT write; SAVEPOINT write"
		}
		if err := g.logQueued(b); err != nil {
			// Only the first pass queues; its rerun with savepoints logs
			// each write's events on its own.
			b.rollback()
			clear(results)
			return errWriteFailed
		}
		return b.commit()
	})
	if err == nil {
		g.db.publish(g.logged)
	}
	return results, err
}

// errWriteFailed is a batch run without savepoints that one of its writes
// failed; it was rolled back.
var errWriteFailed = errRolledBack{errors.New("store: a write of the batch failed")}

// errRolledBack is a failure of a batch before its commit: the transaction
// was rolled back, so its writes may run again.
type errRolledBack struct{ error }

func (e errRolledBack) Unwrap() error { return e.error }

// runStraight runs one write in the shared transaction without a savepoint
// of its own. Like runInSavepoint, its statements ignore the caller's
// cancellation.
func (g *groupCommitter) runStraight(b batchTx, w *pendingWrite) error {
	t := b.tx(context.WithoutCancel(w.ctx))
	t.memo = g.memo
	defer func() { g.missed = append(g.missed, t.missed...) }()
	if err := w.fn(t); err != nil {
		return err
	}
	g.queued = append(g.queued, t.queued...)
	return nil
}

// logQueued logs the Sync events of a first pass's writes together: two
// statements (a counter bump and a log insert) for the whole batch instead
// of two per write and object, and on PostgreSQL one round trip. The
// counters' row locks are taken last, just before the commit.
func (g *groupCommitter) logQueued(b batchTx) error {
	if len(g.queued) == 0 {
		return nil
	}
	t := b.tx(context.Background())
	defer func() { g.missed = append(g.missed, t.missed...) }()
	logged, err := t.logEvents(g.queued)
	g.logged = append(g.logged, logged...)
	return err
}

// runInSavepoint runs one write inside the shared transaction, after open
// set up its savepoint. Its statements ignore the caller's cancellation:
// interrupting a statement would make SQLite roll back the whole shared
// transaction.
func (g *groupCommitter) runInSavepoint(b batchTx, open string, w *pendingWrite) (own, shared error) {
	if err := b.exec(open); err != nil {
		return nil, err
	}
	t := b.tx(context.WithoutCancel(w.ctx))
	t.memo = g.memo
	// The statements it ran unprepared are prepared after the batch, when
	// the writer's one connection is free.
	defer func() { g.missed = append(g.missed, t.missed...) }()
	if own = t.runFn(w.fn); own != nil {
		// The rollback takes the write's counter bumps with it: its
		// events are not published and their IDs are given out again;
		// what it read of conversations may be gone too.
		g.memo.forget()
		return own, b.exec("ROLLBACK TO SAVEPOINT write")
	}
	g.logged = append(g.logged, t.logged...)
	return own, shared
}
