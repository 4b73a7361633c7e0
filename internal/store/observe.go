package store

import (
	"context"
	"fmt"
	"io/fs"
	"strconv"
	"strings"
	"time"
)

// CommitObserver is told about every committed write transaction: writes
// is how many Write calls shared it (the group commit). It is called on
// the committing goroutine, so it must be quick (a metrics counter).
type CommitObserver interface {
	ObserveCommit(writes int)
}

// observeCommit reports a commit of writes Write calls, if anyone listens.
func (db *DB) observeCommit(writes int) {
	if db.commits != nil && writes > 0 {
		db.commits.ObserveCommit(writes)
	}
}

// QueueStat is one job kind's backlog: how many jobs are due (their time
// has come and they have not finished) and since when the oldest waits.
type QueueStat struct {
	Kind      string
	Due       int
	OldestDue time.Time
}

// JobQueue reports the backlog of due jobs per kind, on the store's clock.
// Jobs scheduled for later (timers) are not a backlog and are not counted.
func (db *DB) JobQueue(ctx context.Context) ([]QueueStat, error) {
	rows, err := db.reader.QueryContext(ctx, db.d.rebind(
		`SELECT kind, COUNT(*), MIN(run_at) FROM jobs WHERE run_at <= $1 GROUP BY kind ORDER BY kind`),
		millis(db.clock.Now()))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []QueueStat
	for rows.Next() {
		var s QueueStat
		var oldest int64
		if err := rows.Scan(&s.Kind, &s.Due, &oldest); err != nil {
			return nil, err
		}
		s.OldestDue = fromMillis(oldest)
		out = append(out, s)
	}
	return out, rows.Err()
}

// Ready reports whether the store can serve: the database answers and every
// migration this binary embeds is applied (a node of an older binary
// sharing the database, or a half-applied upgrade, is not ready).
func (db *DB) Ready(ctx context.Context) error {
	rows, err := db.reader.QueryContext(ctx, `SELECT version FROM schema_migrations`)
	if err != nil {
		return fmt.Errorf("database unreachable: %w", err)
	}
	defer rows.Close()
	applied := map[int]bool{}
	for rows.Next() {
		var v int
		if err := rows.Scan(&v); err != nil {
			return fmt.Errorf("database unreachable: %w", err)
		}
		applied[v] = true
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("database unreachable: %w", err)
	}
	want, err := embeddedMigrations()
	if err != nil {
		return err
	}
	var missing []string
	for _, v := range want {
		if !applied[v] {
			missing = append(missing, strconv.Itoa(v))
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("migrations not applied: %s", strings.Join(missing, ", "))
	}
	return nil
}

// embeddedMigrations lists the versions of the migrations in the binary.
func embeddedMigrations() ([]int, error) {
	entries, err := fs.ReadDir(migrations, "migrations")
	if err != nil {
		return nil, err
	}
	out := make([]int, 0, len(entries))
	for _, e := range entries {
		v, err := strconv.Atoi(strings.SplitN(e.Name(), "_", 2)[0])
		if err != nil {
			return nil, fmt.Errorf("migration %s: name must start with a number", e.Name())
		}
		out = append(out, v)
	}
	return out, nil
}
