package store

import (
	"context"
	"database/sql"
	"database/sql/driver"

	"github.com/jackc/pgx/v5/stdlib"
)

// batchTx is the one transaction a group commit's batch runs in.
type batchTx interface {
	// tx is a write's view of it.
	tx(ctx context.Context) *tx
	// exec runs a savepoint statement.
	exec(q string) error
	commit() error
	// rollback ends it, reporting whether every statement had succeeded.
	rollback() (clean bool)
}

// inWriterTx runs fn in a transaction of the writer connection: on SQLite
// on the held connection (connBatch); on PostgreSQL pipelined when
// pipelined is set, through database/sql otherwise. A failure to begin is
// errRolledBack.
func (db *DB) inWriterTx(pipelined bool, fn func(batchTx) error) error {
	bg := context.Background()
	if db.writerConn != nil {
		if err := db.beginOnWriterConn(); err != nil {
			return errRolledBack{err}
		}
		return fn(connBatch{db})
	}
	if !pipelined || db.d.engine != "postgres" {
		sqlTx, xid, err := db.beginWrite(bg)
		if err != nil {
			return errRolledBack{err}
		}
		return fn(sqlBatch{db, db.writer, sqlTx, xid})
	}
	conn, err := db.writer.Conn(bg)
	if err != nil {
		return errRolledBack{err}
	}
	defer conn.Close()
	var out error
	ran := false
	err = conn.Raw(func(dc any) error {
		pc := dc.(*stdlib.Conn).Conn()
		ran, out = true, fn(pipeBatch{db, newPipeline(pc, db.xactStatus)})
		if pc.IsClosed() {
			return driver.ErrBadConn // database/sql drops the connection
		}
		return nil
	})
	if !ran {
		return errRolledBack{err}
	}
	return out
}

// sqlBatch is a transaction of pool through database/sql: a batch's, or a
// reader's.
type sqlBatch struct {
	db    *DB
	pool  *sql.DB
	sqlTx *sql.Tx
	xid   string // PostgreSQL's transaction ID, for a writer's COMMIT
}

func (b sqlBatch) tx(ctx context.Context) *tx { return b.db.newTx(ctx, b.sqlTx, b.pool) }

func (b sqlBatch) exec(q string) error {
	_, err := b.sqlTx.ExecContext(context.Background(), q)
	return err
}

func (b sqlBatch) commit() error { return b.db.commitWrite(b.sqlTx, b.xid) }

func (b sqlBatch) rollback() bool { return b.sqlTx.Rollback() == nil }

// pipeBatch is a batch's transaction on PostgreSQL's pipeline.
type pipeBatch struct {
	db *DB
	p  *pipeline
}

func (b pipeBatch) tx(ctx context.Context) *tx {
	t := b.db.newTx(ctx, nil, b.db.writer)
	t.pipe = b.p
	return t
}

func (b pipeBatch) exec(q string) error {
	_, err := b.p.exec(q, nil)
	return err
}

func (b pipeBatch) commit() error { return b.p.commit(context.Background()) }

func (b pipeBatch) rollback() bool { return b.p.rollback(context.Background()) }

// beginWrite begins a transaction of the writer through database/sql. On
// PostgreSQL it reads the transaction's ID too, so that a COMMIT that loses
// its connection can be settled as the pipeline's is (see settle): the
// careful paths (a batch's rerun with savepoints, a write rerun alone) owe
// their callers the same honest answer as the first pass.
func (db *DB) beginWrite(ctx context.Context) (*sql.Tx, string, error) {
	sqlTx, err := db.writer.BeginTx(ctx, nil)
	if err != nil || db.d.engine != "postgres" {
		return sqlTx, "", err
	}
	var xid string
	if err := sqlTx.QueryRowContext(ctx, `SELECT pg_current_xact_id()::text`).Scan(&xid); err != nil {
		sqlTx.Rollback()
		return nil, "", err
	}
	return sqlTx, xid, nil
}

// commitWrite commits a transaction begun by beginWrite, settling a COMMIT
// whose connection was lost.
func (db *DB) commitWrite(sqlTx *sql.Tx, xid string) error {
	err := sqlTx.Commit()
	if err == nil || xid == "" || refused(err) {
		return err
	}
	return settle(context.Background(), db.xactStatus, xid, err)
}

// xactStatus is the fate of PostgreSQL transaction xid ("committed",
// "aborted" or "in progress"), read on a reader connection.
func (db *DB) xactStatus(ctx context.Context, xid string) (string, error) {
	var status sql.NullString
	err := db.reader.QueryRowContext(ctx, `SELECT pg_xact_status($1::xid8)`, xid).Scan(&status)
	return status.String, err
}
