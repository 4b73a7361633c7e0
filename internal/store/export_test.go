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

// Writer is the store's writer pool, for tests that look at its connection.
func (db *DB) Writer() *sql.DB { return db.writer }

const WriterCheckpointPages = writerCheckpointPages
