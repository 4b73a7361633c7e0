package store_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	parley "github.com/parley-dev/parley"
	"github.com/parley-dev/parley/internal/store"
)

// SQLite's writer runs its own BEGIN, COMMIT and ROLLBACK on a held
// connection, so nothing but the store keeps that connection in a good
// state: a failed write must leave no transaction behind, and one left
// open anyway must not refuse the writes after it.
func TestSQLiteWriterConnectionStaysUsable(t *testing.T) {
	ctx := context.Background()
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), "parley.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	create := func(sid string) error {
		return db.Write(ctx, func(tx parley.Tx) error {
			now := time.Now()
			return tx.CreateAccount(&parley.Account{SID: sid, AuthToken: "token", DateCreated: now, DateUpdated: now})
		})
	}
	exists := func(sid string) bool {
		t.Helper()
		err := db.Read(ctx, func(tx parley.Tx) error { _, err := tx.Account(sid); return err })
		return err == nil
	}
	const first, second, third = "AC00000000000000000000000000000001", "AC00000000000000000000000000000002", "AC00000000000000000000000000000003"
	if err := create(first); err != nil {
		t.Fatal(err)
	}
	// The same SID again fails on the unique key and is rolled back.
	if err := create(first); err == nil {
		t.Fatal("a second account with the same SID was accepted")
	}
	if err := create(second); err != nil {
		t.Fatalf("write after a failed one: %v", err)
	}
	// A transaction left open on the connection (as a COMMIT that failed
	// without ending it would leave one) is rolled back by the next write.
	if _, err := db.WriterConn().ExecContext(ctx, "BEGIN"); err != nil {
		t.Fatal(err)
	}
	if err := create(third); err != nil {
		t.Fatalf("write after a stray transaction: %v", err)
	}
	for _, sid := range []string{first, second, third} {
		if !exists(sid) {
			t.Errorf("account %s is not committed", sid)
		}
	}
}
