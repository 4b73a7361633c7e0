package store

import (
	"database/sql"
	"strings"
	"time"

	parley "github.com/parley-dev/parley"
)

// Parley's durable jobs live in an outbox table of this store rather than in
// River: River's SQLite driver is young, and an outbox in the same database
// lets a job commit in the very transaction (and, on SQLite, the very group
// commit) as the change that implies it, with the same SQL on both engines.
// DESIGN.md decision 7 allows this; the jobs interface (parley.JobsTx) hides
// the choice from the domain.

func (t *tx) EnqueueJob(j *parley.Job) error {
	if j.RunAt.IsZero() {
		j.RunAt = t.now
	}
	if j.Key == "" {
		return t.queryRow(`INSERT INTO jobs (kind, payload, run_at) VALUES ($1, $2, $3) RETURNING seq`,
			j.Kind, string(j.Payload), millis(j.RunAt)).Scan(&j.Seq)
	}
	// Rescheduling resets the lease: a worker running the old schedule
	// then keeps the row (FinishJob only deletes leased rows) and the next
	// claim runs the new one.
	return t.queryRow(`INSERT INTO jobs (kind, payload, run_at, dedupe_key) VALUES ($1, $2, $3, $4)
		ON CONFLICT (dedupe_key) DO UPDATE SET kind = excluded.kind, payload = excluded.payload,
			run_at = excluded.run_at, attempts = 0, last_error = NULL, locked_until = 0, locked_by = NULL
		RETURNING seq`, j.Kind, string(j.Payload), millis(j.RunAt), j.Key).Scan(&j.Seq)
}

func (t *tx) CancelJob(key string) error {
	_, err := t.exec(`DELETE FROM jobs WHERE dedupe_key = $1`, key)
	return err
}

// claimLock is the row lock PostgreSQL claimers take so that concurrent
// workers skip each other's rows instead of waiting; SQLite's single
// writer already serialises claims, and it has no FOR UPDATE.
func (t *tx) claimLock() string { return t.rowLock(" FOR UPDATE SKIP LOCKED") }

// rowLock is lock on PostgreSQL and nothing on SQLite, whose single writer
// already serialises every write transaction.
func (t *tx) rowLock(lock string) string {
	if t.d.engine == "postgres" {
		return lock
	}
	return ""
}

func (t *tx) ClaimJobs(limit int, lease parley.Lease, kind string) ([]*parley.Job, error) {
	rows, err := t.query(`UPDATE jobs SET locked_until = $1, locked_by = $6, attempts = attempts + 1
		WHERE seq IN (SELECT seq FROM jobs WHERE run_at <= $2 AND locked_until <= $5 AND ($4 = '' OR kind = $4)
			ORDER BY run_at, seq LIMIT $3`+t.claimLock()+`)
		RETURNING seq, kind, payload, run_at, attempts, last_error, dedupe_key`,
		millis(lease.Until), millis(t.now), limit, kind, millis(lease.Now), lease.Owner)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var jobs []*parley.Job
	for rows.Next() {
		var j parley.Job
		var payload string
		var runAt int64
		var lastErr, key sql.NullString
		if err := rows.Scan(&j.Seq, &j.Kind, &payload, &runAt, &j.Attempts, &lastErr, &key); err != nil {
			return nil, err
		}
		j.Key = key.String
		j.Payload, j.RunAt, j.LastError = []byte(payload), fromMillis(runAt), strPtr(lastErr)
		jobs = append(jobs, &j)
	}
	return jobs, rows.Err()
}

func (t *tx) FinishJob(seq int64) error {
	_, err := t.exec(`DELETE FROM jobs WHERE seq = $1 AND locked_until > 0`, seq)
	return err
}

func (t *tx) RetryJob(seq int64, runAt time.Time, lastError string) error {
	_, err := t.exec(`UPDATE jobs SET run_at = $1, locked_until = 0, locked_by = NULL, last_error = $2 WHERE seq = $3`,
		millis(runAt), diagnostic(lastError), seq)
	return err
}

func (t *tx) RenewLeases(owner string, until time.Time) (int64, error) {
	// locked_until > 0 skips keyed jobs rescheduled while they ran: the
	// next claim runs their new schedule.
	return t.affected(`UPDATE jobs SET locked_until = $2 WHERE locked_by = $1 AND locked_until > 0`, owner, millis(until))
}

func (t *tx) ReleaseLeases(prefix, keep string) (int64, error) {
	return t.affected(`UPDATE jobs SET locked_until = 0, locked_by = NULL
		WHERE substr(locked_by, 1, $2) = $1 AND locked_by <> $3`, prefix, len(prefix), keep)
}

// affected runs a statement and counts the rows it changed.
func (t *tx) affected(q string, args ...any) (int64, error) {
	res, err := t.exec(q, args...)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// diagnostic makes an error message, which may quote whatever a remote end
// sent, storable text: NUL characters go and invalid UTF-8 becomes U+FFFD.
func diagnostic(s string) string {
	return strings.ToValidUTF8(strings.ReplaceAll(s, "\x00", ""), "\uFFFD")
}
