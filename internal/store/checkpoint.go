package store

import (
	"database/sql"
	"log/slog"
	"strconv"
	"time"

	"github.com/mattn/go-sqlite3"
)

// SQLite in WAL mode copies the log back into the database file (a
// checkpoint) when the log passes wal_autocheckpoint pages, 1,000 by
// default, and it does so inside the COMMIT that crossed the line: that
// commit waits for the copy and its fsyncs. A message writes several pages,
// so one request in a few hundred paid for a checkpoint, a large part of a
// lone client's p99. Parley's checkpointer, on a connection nobody writes
// through, copies the log back every checkpointInterval without holding up a
// commit (https://www.sqlite.org/wal.html#automatic_checkpoint). The writer
// still checkpoints past writerCheckpointPages: under sustained writes a
// background checkpoint never catches up with the log's end, and only the
// writer's own checkpoint lets the next commit start the log over; by then
// the checkpointer has copied nearly all of it. Measured with one client
// over SQLite (10 s runs, alternating): p99 3.3-3.7 ms before, 2.5-3.5 ms
// after; under 64 clients over 1,000 conversations the log peaked at 42 MB.
const (
	checkpointInterval = 250 * time.Millisecond
	// writerCheckpointPages is the writer's own threshold, in pages of 4
	// KiB.
	writerCheckpointPages = 10000
)

// sqliteDriver is mattn/go-sqlite3 with the writer's checkpoint threshold
// set on every connection it opens (readers never write, so never check
// it); a connection that replaces a broken one gets it too.
const sqliteDriver = "sqlite3-parley"

func init() {
	sql.Register(sqliteDriver, &sqlite3.SQLiteDriver{ConnectHook: func(c *sqlite3.SQLiteConn) error {
		_, err := c.Exec("PRAGMA wal_autocheckpoint="+strconv.Itoa(writerCheckpointPages), nil)
		return err
	}})
}

// checkpointer runs passive checkpoints on a connection of its own until
// stopped. A passive checkpoint copies what no reader still needs and
// never waits for a lock, so neither the writer nor the readers wait for
// it.
type checkpointer struct {
	conn *sql.DB
	quit chan struct{}
	done chan struct{}
}

func startCheckpointer(path string) (*checkpointer, error) {
	conn, err := sql.Open(sqliteDriver, sqliteDSN(path, true))
	if err != nil {
		return nil, err
	}
	conn.SetMaxOpenConns(1)
	c := &checkpointer{conn: conn, quit: make(chan struct{}), done: make(chan struct{})}
	go c.loop()
	return c, nil
}

func (c *checkpointer) loop() {
	defer close(c.done)
	tick := time.NewTicker(checkpointInterval)
	defer tick.Stop()
	failing := false
	for {
		select {
		case <-c.quit:
			return
		case <-tick.C:
			// A failure is logged once, not every tick; meanwhile the
			// writer's own threshold still bounds the log.
			_, err := c.conn.Exec("PRAGMA wal_checkpoint(PASSIVE)")
			if err != nil && !failing {
				slog.Warn("SQLite checkpoints are failing; the writer checkpoints on its own meanwhile", "err", err)
			} else if err == nil && failing {
				slog.Info("SQLite checkpoints work again")
			}
			failing = err != nil
		}
	}
}

func (c *checkpointer) close() error {
	if c == nil {
		return nil
	}
	close(c.quit)
	<-c.done
	return c.conn.Close()
}
