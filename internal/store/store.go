// Package store is Parley's one SQL store, serving SQLite (the embedded
// default) and PostgreSQL with the same queries. Driver errors are translated
// to parley errors here and nowhere else.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"
	"unicode/utf8"

	parley "github.com/parley-dev/parley"
	"github.com/parley-dev/parley/internal/clock"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" database/sql driver
)

// Options tune a store. Zero values pick safe defaults.
type Options struct {
	// Clock stamps every transaction; the real clock when nil.
	Clock parley.Clock
	// MaxConns bounds the connections to PostgreSQL (one of them is the
	// writer's) or the reader pool of SQLite (beside its one writer).
	MaxConns int
	// StatementTimeout aborts a PostgreSQL statement that runs longer.
	StatementTimeout time.Duration
	// Commits, when set, is told about every commit (metrics).
	Commits CommitObserver
	// Events, when set, hears the Sync events of every committed write
	// (the after-commit hook), never those of a rolled-back one.
	Events parley.EventPublisher
}

// DB is a parley.Store over database/sql.
type DB struct {
	d      dialect
	writer *sql.DB
	// writerConn is the writer pool's one connection on SQLite, held for
	// the store's life (see connBatch); nil on PostgreSQL.
	writerConn *sql.Conn
	reader     *sql.DB
	clock      parley.Clock
	group      *groupCommitter // every Write goes through it
	// writerStmts and readerStmts are SQLite's statement caches; nil on
	// PostgreSQL.
	writerStmts, readerStmts *stmtCache
	// commits hears of every commit; nil when nobody listens.
	commits CommitObserver
	// events hears the Sync events of committed writes; nil when nobody
	// listens.
	events parley.EventPublisher
	// checkpoints copies SQLite's log back into the database file; nil on
	// PostgreSQL.
	checkpoints *checkpointer
}

var _ parley.Store = (*DB)(nil)

// Open connects to the database named by rawURL (a SQLite file path or a
// postgres:// URL), applies pending migrations and returns the store.
func Open(ctx context.Context, rawURL string, opt Options) (*DB, error) {
	d, dsn, err := parseURL(rawURL)
	if err != nil {
		return nil, err
	}
	if opt.Clock == nil {
		opt.Clock = clock.Real{}
	}
	if opt.MaxConns <= 0 {
		opt.MaxConns = 10
	}
	db := &DB{d: d, clock: opt.Clock, commits: opt.Commits, events: opt.Events}
	if d.engine == "sqlite" {
		err = db.openSQLite(dsn, opt)
	} else {
		err = db.openPostgres(dsn, opt)
	}
	if err != nil {
		return nil, err
	}
	if err := db.migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	if d.engine == "sqlite" {
		// Readers open read-only, so they come after the writer created the file.
		if db.reader, err = sql.Open(d.driver, sqliteDSN(dsn, false)); err != nil {
			db.Close()
			return nil, err
		}
		db.reader.SetMaxOpenConns(opt.MaxConns)
		// Migrations ran through the pool; from here on the writer's
		// transactions run on its connection, held.
		if db.writerConn, err = db.writer.Conn(ctx); err != nil {
			db.Close()
			return nil, err
		}
		db.writerStmts, db.readerStmts = newStmtCache(db.writerConn, d.rebind), newStmtCache(db.reader, d.rebind)
		if db.checkpoints, err = startCheckpointer(dsn); err != nil {
			db.Close()
			return nil, err
		}
	}
	db.group = newGroupCommitter(db)
	return db, nil
}

func (db *DB) openSQLite(path string, opt Options) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return fmt.Errorf("create data directory: %w", err)
	}
	w, err := sql.Open(db.d.driver, sqliteDSN(path, true))
	if err != nil {
		return err
	}
	// SQLite has one writer; one connection makes writers queue in Go rather
	// than spin on SQLITE_BUSY.
	w.SetMaxOpenConns(1)
	w.SetConnMaxLifetime(0)
	db.writer = w
	return w.Ping()
}

func (db *DB) openPostgres(dsn string, opt Options) error {
	if opt.StatementTimeout > 0 {
		dsn = withParam(dsn, "statement_timeout", fmt.Sprint(opt.StatementTimeout.Milliseconds()))
	}
	// Two pools: the group committer's one connection, and the readers.
	// Sharing one pool made each batch queue for a connection behind every
	// waiting reader, so the more clients, the slower every write.
	var err error
	if db.writer, err = openPool(db.d.driver, dsn, 1); err != nil {
		return err
	}
	if db.reader, err = openPool(db.d.driver, dsn, max(opt.MaxConns-1, 1)); err != nil {
		db.writer.Close()
	}
	return err
}

// openPool opens and pings a PostgreSQL pool of at most n connections.
func openPool(driver, dsn string, n int) (*sql.DB, error) {
	p, err := sql.Open(driver, dsn)
	if err != nil {
		return nil, err
	}
	p.SetMaxOpenConns(n)
	p.SetMaxIdleConns(n)
	if err := p.Ping(); err != nil {
		p.Close()
		return nil, fmt.Errorf("connect to PostgreSQL: %w", err)
	}
	return p, nil
}

// Engine names the database engine.
func (db *DB) Engine() string { return db.d.engine }

// Close closes every connection.
func (db *DB) Close() error {
	if db.group != nil {
		db.group.close()
	}
	db.writerStmts.close()
	db.readerStmts.close()
	errs := []error{db.checkpoints.close()}
	if db.reader != nil && db.reader != db.writer {
		errs = append(errs, db.reader.Close())
	}
	if db.writerConn != nil {
		errs = append(errs, db.writerConn.Close())
	}
	if db.writer != nil {
		errs = append(errs, db.writer.Close())
	}
	return errors.Join(errs...)
}

// maxAttempts bounds how often a transaction that lost a race is run again.
const maxAttempts = 8

// Write runs fn in a read-write transaction, retrying transient conflicts.
// Concurrent writes share commits (see groupCommitter).
func (db *DB) Write(ctx context.Context, fn func(parley.Tx) error) error {
	return db.group.write(ctx, fn)
}

// Read runs fn in a transaction on the reader pool.
func (db *DB) Read(ctx context.Context, fn func(parley.Tx) error) error {
	return db.run(ctx, db.reader, fn)
}

// stmts is pool's statement cache (nil on PostgreSQL).
func (db *DB) stmts(pool *sql.DB) *stmtCache {
	if pool == db.writer {
		return db.writerStmts
	}
	return db.readerStmts
}

// newTx wraps a transaction of pool (sqlTx nil when a pipeline runs it).
func (db *DB) newTx(ctx context.Context, sqlTx *sql.Tx, pool *sql.DB) *tx {
	t := &tx{ctx: ctx, tx: sqlTx, d: db.d, now: db.clock.Now().UTC(), stmts: db.stmts(pool)}
	if sqlTx != nil {
		t.q = sqlTx
	}
	return t
}

func (db *DB) run(ctx context.Context, pool *sql.DB, fn func(parley.Tx) error) error {
	var err error
	for attempt := 0; attempt < maxAttempts; attempt++ {
		if attempt > 0 {
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(time.Duration(attempt*attempt) * time.Millisecond):
			}
		}
		err = db.runOnce(ctx, pool, fn)
		// A COMMIT found aborted after its connection was lost runs
		// again too: nothing of it took effect.
		if !isRetryable(err) && !errors.As(err, new(errRolledBack)) {
			return err
		}
	}
	return err
}

// runOnce runs fn in one transaction of pool. On the writer it is a
// group commit's careful path, a write alone: through database/sql on
// PostgreSQL, on the held connection on SQLite (see inWriterTx).
func (db *DB) runOnce(ctx context.Context, pool *sql.DB, fn func(parley.Tx) error) error {
	if pool == db.writer {
		return db.inWriterTx(false, func(b batchTx) error { return db.runIn(ctx, b, fn) })
	}
	sqlTx, err := pool.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	return db.runIn(ctx, sqlBatch{db: db, pool: pool, sqlTx: sqlTx}, fn)
}

// runIn runs fn alone in b and commits it.
func (db *DB) runIn(ctx context.Context, b batchTx, fn func(parley.Tx) error) error {
	t := b.tx(ctx)
	defer t.prepareMissed()
	if err := t.runFn(fn); err != nil {
		b.rollback()
		return err
	}
	if err := b.commit(); err != nil {
		return err
	}
	db.publish(t.logged)
	return nil
}

// runFn runs a write's function, then logs the Sync events it queued.
func (t *tx) runFn(fn func(parley.Tx) error) error {
	if err := fn(t); err != nil {
		return err
	}
	return t.logQueued()
}

// publish is the after-commit hook: it hands the committed Sync events to
// the publisher.
func (db *DB) publish(events []parley.SyncEvent) {
	if db.events != nil && len(events) > 0 {
		db.events.Publish(events)
	}
}

// tx is one transaction; every parley.Tx method lives on it.
type tx struct {
	ctx context.Context
	// q runs the statements the cache does not hold: tx, or the SQLite
	// writer's connection inside a transaction it began itself (tx nil).
	q   querier
	tx  *sql.Tx
	d   dialect
	now time.Time
	// counted are the indexes reserved (and counted) by NextMessageIndex
	// whose message CreateMessage has not written yet.
	counted []reservedIndex
	stmts   *stmtCache // nil on PostgreSQL
	missed  []string   // queries run unprepared, to prepare after the transaction
	// pipe, when set, runs the statements instead of tx (PostgreSQL's
	// writer, first pass of a group commit).
	pipe *pipeline
	// queued are the Sync events the write's function asked for; logged
	// are those written to the log, published once the commit succeeded.
	queued []*parley.SyncEvent
	logged []parley.SyncEvent
	// memo is the conversation rows the group commit's batch has read
	// (nil outside one).
	memo *reserveMemo
}

// stmt is q prepared for this transaction, or nil when q is not prepared
// yet (noted, to be prepared after the transaction) or not cached at all.
func (t *tx) stmt(q string) *sql.Stmt {
	if t.stmts == nil {
		return nil
	}
	s := t.stmts.get(q)
	if s == nil {
		t.missed = append(t.missed, q)
		return nil
	}
	if t.tx == nil {
		return s // prepared on the connection running the transaction
	}
	return t.tx.StmtContext(t.ctx, s)
}

// prepareMissed prepares the queries this transaction ran unprepared. It
// runs after the transaction ended, when its connection is free.
func (t *tx) prepareMissed() {
	if len(t.missed) > 0 {
		t.stmts.prepare(t.missed)
		t.missed = nil
	}
}

var _ parley.Tx = (*tx)(nil)

func (t *tx) Now() time.Time { return t.now }

func (t *tx) exec(q string, args ...any) (sql.Result, error) {
	t.memo.saw(q)
	return t.execMemoized(q, args...)
}

// execMemoized runs q, a statement whose effect on the rows the batch's
// memo holds its caller applies to the memo itself.
func (t *tx) execMemoized(q string, args ...any) (sql.Result, error) {
	if err := storable(args); err != nil {
		return nil, err
	}
	if t.pipe != nil {
		return t.pipe.exec(q, args)
	}
	if s := t.stmt(q); s != nil {
		return s.ExecContext(t.ctx, args...)
	}
	return t.q.ExecContext(t.ctx, t.d.rebind(q), args...)
}

func (t *tx) query(q string, args ...any) (rows, error) {
	t.memo.saw(q)
	if err := storable(args); err != nil {
		return nil, err
	}
	if t.pipe != nil {
		return t.pipe.query(t.ctx, q, args)
	}
	var r *sql.Rows
	var err error
	if s := t.stmt(q); s != nil {
		r, err = s.QueryContext(t.ctx, args...)
	} else {
		r, err = t.q.QueryContext(t.ctx, t.d.rebind(q), args...)
	}
	if err != nil {
		return nil, err // not a nil *sql.Rows in an interface
	}
	return r, nil
}

func (t *tx) queryRow(q string, args ...any) scanner {
	t.memo.saw(q)
	if err := storable(args); err != nil {
		return errRow{err}
	}
	if t.pipe != nil {
		return pipeRow{t.ctx, t.pipe, q, args}
	}
	if s := t.stmt(q); s != nil {
		return s.QueryRowContext(t.ctx, args...)
	}
	return t.q.QueryRowContext(t.ctx, t.d.rebind(q), args...)
}

// querier runs statements: a *sql.Tx, or a *sql.Conn in a transaction.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// errRow is a row whose query was refused before it ran.
type errRow struct{ err error }

func (r errRow) Scan(...any) error { return r.err }

// storable refuses, on both engines, text PostgreSQL cannot hold: a NUL
// character or invalid UTF-8. SQLite would store it, so without this check
// the same request would succeed on one engine and fail on the other.
func storable(args []any) error {
	for _, arg := range args {
		var s string
		switch v := arg.(type) {
		case string:
			s = v
		case *string:
			if v == nil {
				continue
			}
			s = *v
		default:
			continue
		}
		if strings.IndexByte(s, 0) >= 0 || !utf8.ValidString(s) {
			return parley.Errorf(parley.CodeInvalidParameter, "Text parameters must be valid UTF-8 without NUL characters")
		}
	}
	return nil
}

// execOne runs a statement that must touch exactly one row; otherwise the
// resource was not there.
func (t *tx) execOne(resource, id, q string, args ...any) error {
	res, err := t.exec(q, args...)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n == 0 {
		return parley.NotFound(resource, id)
	}
	return nil
}

func withParam(dsn, key, value string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return dsn
	}
	q := u.Query()
	q.Set(key, value)
	u.RawQuery = q.Encode()
	return u.String()
}
