package store

import (
	"context"
	"database/sql"
	"sync"
)

// maxCachedStmts bounds a stmtCache: queries built with a variable number of
// placeholders must not grow it without end. Parley's fixed queries number
// far fewer.
const maxCachedStmts = 512

// stmtCache keeps one prepared statement per query of SQLite's reader pool
// or writer connection, so a query is parsed once per connection rather
// than once per use; preparing was a fifth of the single writer's time.
// PostgreSQL needs none: pgx keeps its own statement cache on every
// connection.
//
// A statement is prepared outside any transaction (the writer's one
// connection is busy with the transaction): a transaction that misses runs
// the query unprepared and notes it, and the statement is prepared once the
// transaction ended.
type stmtCache struct {
	pool   preparer
	rebind func(string) string
	mu     sync.RWMutex
	stmts  map[string]*sql.Stmt
}

// preparer is a pool (statements usable on any of its connections, through
// Tx.StmtContext in a transaction) or one held connection (statements of
// that connection only, used as they are).
type preparer interface {
	PrepareContext(ctx context.Context, query string) (*sql.Stmt, error)
}

func newStmtCache(pool preparer, rebind func(string) string) *stmtCache {
	return &stmtCache{pool: pool, rebind: rebind, stmts: map[string]*sql.Stmt{}}
}

// get is the prepared statement of q, or nil.
func (c *stmtCache) get(q string) *sql.Stmt {
	if c == nil {
		return nil
	}
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.stmts[q]
}

// prepare prepares the queries a transaction missed. A query that fails to
// prepare is left out: it keeps running unprepared, with its own error.
func (c *stmtCache) prepare(queries []string) {
	if c == nil {
		return
	}
	for _, q := range queries {
		c.mu.RLock()
		_, have := c.stmts[q]
		full := len(c.stmts) >= maxCachedStmts
		c.mu.RUnlock()
		if have || full {
			continue
		}
		s, err := c.pool.PrepareContext(context.Background(), c.rebind(q))
		if err != nil {
			continue
		}
		c.mu.Lock()
		if _, have := c.stmts[q]; have {
			s.Close()
		} else {
			c.stmts[q] = s
		}
		c.mu.Unlock()
	}
}

func (c *stmtCache) close() {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, s := range c.stmts {
		s.Close()
	}
	c.stmts = nil
}
