package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// pipeline runs one transaction on PostgreSQL's writer connection with
// fewer round trips than database/sql allows. A statement whose answer
// nobody waits for (an INSERT or an UPDATE run through exec, and the BEGIN)
// is not sent at once: it goes out with the next statement that answers
// (a query) or with the COMMIT, all in one pgx batch, which pgx sends as
// one pipeline. A message create costs one round trip per write instead of
// two, and every further fire-and-forget statement of a write (an event log
// row, a counter) costs none.
//
// The price is that such a statement's error arrives late, after the write
// carried on as if it had succeeded. The pipeline therefore only runs the
// group commit's first pass: any failure in it (failed) fails the whole
// pass, which the group commit then runs again the careful way, through
// database/sql, where every statement answers where it is made.
type pipeline struct {
	conn    *pgx.Conn
	pending []queuedStmt
	// xid is the transaction's ID, read with its first round trip, and
	// status looks up a transaction's fate on another connection: together
	// they settle a COMMIT whose connection died (see settle).
	xid    string
	status func(ctx context.Context, xid string) (string, error)
	// sent is whether the BEGIN went out.
	sent bool
	// failed is the first error of any statement; once set, every later
	// statement fails with it and the transaction can only roll back.
	failed error
}

type queuedStmt struct {
	sql  string
	args []any
	res  *pipeResult
	// into, when set, takes the statement's one row.
	into []any
}

func newPipeline(conn *pgx.Conn, status func(ctx context.Context, xid string) (string, error)) *pipeline {
	p := &pipeline{conn: conn, status: status}
	p.pending = append(p.pending, queuedStmt{sql: "BEGIN", res: &pipeResult{p: p}},
		queuedStmt{sql: "SELECT pg_current_xact_id()::text", res: &pipeResult{p: p}, into: []any{&p.xid}})
	return p
}

func (p *pipeline) fail(err error) {
	if p.failed == nil {
		p.failed = err
	}
}

// exec queues a statement for the next round trip.
func (p *pipeline) exec(q string, args []any) (sql.Result, error) {
	if p.failed != nil {
		return nil, p.failed
	}
	r := &pipeResult{p: p}
	p.pending = append(p.pending, queuedStmt{sql: q, args: args, res: r})
	return r, nil
}

// send sends the queued statements and, when q is not empty, q after them,
// in one round trip. It reads the queued statements' results and leaves
// the batch at q's, for the caller to read and close.
func (p *pipeline) send(ctx context.Context, q string, args []any) (pgx.BatchResults, error) {
	if p.failed != nil {
		return nil, p.failed
	}
	b := &pgx.Batch{QueuedQueries: make([]*pgx.QueuedQuery, 0, len(p.pending)+1)}
	for _, s := range p.pending {
		b.Queue(s.sql, s.args...)
	}
	if q != "" {
		b.Queue(q, args...)
	}
	queued := p.pending
	p.pending, p.sent = nil, true
	br := p.conn.SendBatch(ctx, b)
	for _, s := range queued {
		var tag pgconn.CommandTag
		var err error
		if s.into != nil {
			err = br.QueryRow().Scan(s.into...)
		} else {
			tag, err = br.Exec()
		}
		s.res.tag, s.res.err, s.res.done = tag, err, true
		if err != nil {
			p.fail(err)
		}
	}
	if p.failed != nil {
		br.Close()
		return nil, p.failed
	}
	return br, nil
}

// flush sends what is queued.
func (p *pipeline) flush(ctx context.Context) error {
	br, err := p.send(ctx, "", nil)
	if err != nil {
		return err
	}
	if err := br.Close(); err != nil {
		p.fail(err)
	}
	return p.failed
}

// commit sends the queued statements and the COMMIT in one round trip. A
// statement that failed before the COMMIT went out, or that the server
// refused in the same round trip, means nothing was committed
// (errWriteFailed: the pass runs again the careful way). Any other failure
// leaves the outcome unknown and is returned as it is.
func (p *pipeline) commit(ctx context.Context) error {
	if p.failed != nil {
		p.rollback(ctx)
		return errWriteFailed
	}
	br, err := p.send(ctx, "COMMIT", nil)
	if err != nil {
		if refused(err) {
			p.rollback(ctx)
			return errWriteFailed
		}
		return settle(ctx, p.status, p.xid, err)
	}
	tag, err := br.Exec()
	if cerr := br.Close(); err == nil {
		err = cerr
	}
	if err == nil && tag.String() != "COMMIT" {
		// PostgreSQL answers a COMMIT of an aborted transaction with
		// ROLLBACK, not with an error.
		return errRolledBack{fmt.Errorf("store: the transaction was rolled back (%s)", tag)}
	}
	if err != nil && !refused(err) {
		return settle(ctx, p.status, p.xid, err)
	}
	return err
}

// settleWithin bounds how long settle waits for the server to notice that
// the connection of a transaction in progress is gone.
var settleWithin = 5 * time.Second

// settle finds out what became of a transaction whose COMMIT lost its
// connection (err): PostgreSQL keeps the fate of every transaction ID
// (pg_xact_status), which another connection can read once the server has
// either committed it or, noticing the broken connection, aborted it.
// Committed is a success; aborted is errRolledBack, so the writes run
// again; anything else (the ID was never read, the server is unreachable,
// it still runs after settleWithin) leaves err, an unknown outcome.
func settle(ctx context.Context, status func(ctx context.Context, xid string) (string, error), xid string, err error) error {
	if xid == "" || status == nil {
		return err
	}
	deadline := time.Now().Add(settleWithin)
	for {
		st, serr := status(ctx, xid)
		switch {
		case serr != nil:
			return err
		case st == "committed":
			return nil
		case st == "aborted":
			return errRolledBack{err}
		case time.Now().After(deadline):
			return err
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// rollback ends the transaction without committing. It reports whether the
// transaction was clean up to then: every queued statement succeeded, so
// the write's own error is its true outcome.
func (p *pipeline) rollback(ctx context.Context) (clean bool) {
	if !p.sent {
		p.pending = nil
		return p.failed == nil
	}
	if p.failed == nil {
		br, err := p.send(ctx, "ROLLBACK", nil)
		if err == nil {
			_, err = br.Exec()
			if cerr := br.Close(); err == nil {
				err = cerr
			}
			return err == nil
		}
	}
	if !p.conn.IsClosed() {
		p.conn.Exec(ctx, "ROLLBACK")
	}
	return false
}

// refused reports whether the server answered err to a statement, which
// then did not run (as opposed to a connection that failed).
func refused(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe)
}

// pipeResult is an exec's result, known once its round trip was made.
type pipeResult struct {
	p    *pipeline
	tag  pgconn.CommandTag
	err  error
	done bool
}

func (r *pipeResult) LastInsertId() (int64, error) {
	return 0, errors.New("store: LastInsertId is not supported")
}

// RowsAffected makes the round trip if it was not made yet.
func (r *pipeResult) RowsAffected() (int64, error) {
	if !r.done {
		if err := r.p.flush(context.Background()); err != nil && !r.done {
			return 0, err
		}
	}
	return r.tag.RowsAffected(), r.err
}

// pipeRow is a queryRow on the pipeline: it makes its round trip when
// scanned.
type pipeRow struct {
	ctx  context.Context
	p    *pipeline
	q    string
	args []any
}

func (r pipeRow) Scan(dest ...any) error {
	br, err := r.p.send(r.ctx, r.q, r.args)
	if err != nil {
		return err
	}
	err = br.QueryRow().Scan(dest...)
	if cerr := br.Close(); err == nil {
		err = cerr
	}
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		r.p.fail(err)
	}
	return err
}

// query runs q with the queued statements and returns its rows.
func (p *pipeline) query(ctx context.Context, q string, args []any) (rows, error) {
	br, err := p.send(ctx, q, args)
	if err != nil {
		return nil, err
	}
	r, err := br.Query()
	if err != nil {
		br.Close()
		p.fail(err)
		return nil, err
	}
	return &pipeRows{Rows: r, br: br, p: p}, nil
}

// pipeRows are a query's rows; closing them ends the round trip.
type pipeRows struct {
	pgx.Rows
	br pgx.BatchResults
	p  *pipeline
}

func (r *pipeRows) Close() error {
	r.Rows.Close()
	err := r.Rows.Err()
	if cerr := r.br.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		r.p.fail(err)
	}
	return err
}

// rows are a query's rows: *sql.Rows, or pipeRows on the pipeline.
type rows interface {
	Next() bool
	Scan(dest ...any) error
	Err() error
	Close() error
}
