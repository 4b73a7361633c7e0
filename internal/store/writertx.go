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

// inWriterTx runs fn in a transaction of the writer connection: pipelined
// on PostgreSQL when pipelined is set, through database/sql otherwise. A
// failure to begin is errRolledBack.
func (db *DB) inWriterTx(pipelined bool, fn func(batchTx) error) error {
	bg := context.Background()
	if !pipelined || db.d.engine != "postgres" {
		sqlTx, err := db.writer.BeginTx(bg, nil)
		if err != nil {
			return errRolledBack{err}
		}
		return fn(sqlBatch{db, sqlTx})
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

// sqlBatch is a batch's transaction through database/sql.
type sqlBatch struct {
	db    *DB
	sqlTx *sql.Tx
}

func (b sqlBatch) tx(ctx context.Context) *tx { return b.db.newTx(ctx, b.sqlTx, b.db.writer) }

func (b sqlBatch) exec(q string) error {
	_, err := b.sqlTx.ExecContext(context.Background(), q)
	return err
}

func (b sqlBatch) commit() error { return b.sqlTx.Commit() }

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

// xactStatus is the fate of PostgreSQL transaction xid ("committed",
// "aborted" or "in progress"), read on a reader connection.
func (db *DB) xactStatus(ctx context.Context, xid string) (string, error) {
	var status sql.NullString
	err := db.reader.QueryRowContext(ctx, `SELECT pg_xact_status($1::xid8)`, xid).Scan(&status)
	return status.String, err
}
