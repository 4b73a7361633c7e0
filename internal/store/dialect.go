package store

import (
	"errors"
	"fmt"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/mattn/go-sqlite3"
)

// dialect is everything that differs between the two engines. The SQL itself
// is written once, with $n placeholders, in the subset both engines share.
type dialect struct {
	engine string
	driver string
	// rebind turns the portable $n placeholders into the engine's own.
	rebind func(string) string
	// ddl adapts a migration, written in SQLite's words, to the engine.
	ddl func(string) string
	// rowLocks says SELECT … FOR UPDATE takes row locks (PostgreSQL).
	// SQLite has no such clause and needs none: its one writer excludes
	// every other.
	rowLocks bool
}

func same(q string) string { return q }

var sqliteDialect = dialect{engine: "sqlite", driver: sqliteDriver, rebind: sqliteRebind, ddl: same}

var postgresDialect = dialect{engine: "postgres", driver: "pgx", rebind: same, ddl: postgresDDL, rowLocks: true}

// integerKey is SQLite's auto-assigned integer key (an alias of the rowid).
var integerKey = regexp.MustCompile(`(?i)\bINTEGER\s+PRIMARY\s+KEY\b`)

// withoutRowid is SQLite's table option that stores rows in their primary
// key's B-tree.
var withoutRowid = regexp.MustCompile(`(?i)\)\s*WITHOUT\s+ROWID\s*;`)

// postgresDDL gives each "INTEGER PRIMARY KEY" column PostgreSQL's
// equivalent, a 64-bit identity, and drops SQLite's WITHOUT ROWID (a
// PostgreSQL table is always a heap beside its key's index); everything else
// in the migrations is already common SQL.
func postgresDDL(q string) string {
	q = withoutRowid.ReplaceAllString(q, ");")
	return integerKey.ReplaceAllString(q, "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY")
}

// sqliteRebind rewrites $n to ?n, SQLite's numbered parameter (SQLite reads
// "$1" as a *named* parameter numbered by first appearance, which would
// misbind "$2 ... $1"). Quoted text is left alone.
func sqliteRebind(q string) string {
	if !strings.Contains(q, "$") {
		return q
	}
	var b strings.Builder
	b.Grow(len(q))
	inQuote := false
	for i := 0; i < len(q); i++ {
		c := q[i]
		switch {
		case c == '\'':
			inQuote = !inQuote
		case c == '$' && !inQuote && i+1 < len(q) && q[i+1] >= '0' && q[i+1] <= '9':
			c = '?'
		}
		b.WriteByte(c)
	}
	return b.String()
}

// isUniqueViolation reports whether err is a unique-constraint failure.
func isUniqueViolation(err error) bool {
	var se sqlite3.Error
	if errors.As(err, &se) {
		return se.ExtendedCode == sqlite3.ErrConstraintUnique || se.ExtendedCode == sqlite3.ErrConstraintPrimaryKey
	}
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == "23505"
}

// isForeignKeyViolation reports whether err is a foreign-key failure: the
// parent row a write refers to is gone.
func isForeignKeyViolation(err error) bool {
	var se sqlite3.Error
	if errors.As(err, &se) {
		return se.ExtendedCode == sqlite3.ErrConstraintForeignKey
	}
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == "23503"
}

// isRetryable reports whether a transaction failed only because of concurrent
// transactions and may succeed when run again.
func isRetryable(err error) bool {
	var se sqlite3.Error
	if errors.As(err, &se) {
		return se.Code == sqlite3.ErrBusy || se.Code == sqlite3.ErrLocked
	}
	var pe *pgconn.PgError
	return errors.As(err, &pe) && (pe.Code == "40001" || pe.Code == "40P01")
}

// sqliteDSN returns the DSN of the SQLite file at path: WAL, foreign keys on,
// synchronous=FULL so an acknowledged commit survives power loss, and a busy
// timeout. Write connections take the write lock at BEGIN (IMMEDIATE) so two
// writers never deadlock upgrading read locks.
func sqliteDSN(path string, write bool) string {
	v := url.Values{}
	v.Set("_journal_mode", "WAL")
	v.Set("_synchronous", "FULL")
	v.Set("_foreign_keys", "on")
	v.Set("_busy_timeout", "10000")
	if write {
		v.Set("_txlock", "immediate")
	} else {
		v.Set("mode", "ro")
	}
	return "file:" + filepath.ToSlash(path) + "?" + v.Encode()
}

// parseURL splits a database URL into its engine and the driver's DSN.
// Anything that is not a postgres:// or postgresql:// URL is a SQLite path
// (optionally written as sqlite://path or file:path).
func parseURL(raw string) (dialect, string, error) {
	switch {
	case strings.HasPrefix(raw, "postgres://"), strings.HasPrefix(raw, "postgresql://"):
		return postgresDialect, raw, nil
	case strings.HasPrefix(raw, "sqlite://"):
		return sqliteDialect, strings.TrimPrefix(raw, "sqlite://"), nil
	case strings.HasPrefix(raw, "file:"):
		return sqliteDialect, strings.TrimPrefix(raw, "file:"), nil
	case strings.Contains(raw, "://"):
		return dialect{}, "", fmt.Errorf("unsupported database URL %q: use a SQLite file path or a postgres:// URL", raw)
	}
	return sqliteDialect, raw, nil
}
