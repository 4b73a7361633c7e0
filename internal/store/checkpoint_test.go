package store_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/parley-dev/parley/internal/store"
)

// SQLite's log is copied back into the database file by the store's own
// checkpointer, not by the commit that crosses the default threshold: the
// writer's connection checkpoints only past a far larger log, and pages
// written well below it still reach the database file.
func TestSQLiteCheckpointsInTheBackground(t *testing.T) {
	path := filepath.Join(t.TempDir(), "parley.db")
	db, err := store.Open(context.Background(), path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	w, ctx := db.WriterConn(), context.Background()
	var threshold int
	if err := w.QueryRowContext(ctx, "PRAGMA wal_autocheckpoint").Scan(&threshold); err != nil {
		t.Fatal(err)
	}
	if threshold != store.WriterCheckpointPages {
		t.Fatalf("writer's wal_autocheckpoint = %d, want %d", threshold, store.WriterCheckpointPages)
	}
	before := fileSize(t, path)
	if _, err := w.ExecContext(ctx, "CREATE TABLE checkpoint_probe (b BLOB)"); err != nil {
		t.Fatal(err)
	}
	// 2,000 pages of 4 KiB: twice SQLite's default threshold, a fifth of
	// the writer's.
	row := strings.Repeat("x", 4000)
	for range 2000 {
		if _, err := w.ExecContext(ctx, "INSERT INTO checkpoint_probe VALUES ($1)", row); err != nil {
			t.Fatal(err)
		}
	}
	want := before + 2000*4000
	for deadline := time.Now().Add(10 * time.Second); fileSize(t, path) < want; {
		if time.Now().After(deadline) {
			t.Fatalf("database file is %d bytes 10s after the writes, want at least %d: nothing checkpointed the log",
				fileSize(t, path), want)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func fileSize(t *testing.T, path string) int64 {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Size()
}
