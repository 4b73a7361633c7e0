package store

import (
	"database/sql"
	"time"
)

// SetSettleWithin shortens how long a lost COMMIT is waited for, for tests.
func SetSettleWithin(d time.Duration) (restore func()) {
	old := settleWithin
	settleWithin = d
	return func() { settleWithin = old }
}

// WriterConn is SQLite's writer connection, for tests that look at it. A
// test using it must not write through the store at the same time.
func (db *DB) WriterConn() *sql.Conn { return db.writerConn }

const WriterCheckpointPages = writerCheckpointPages
