package store_test

import (
	"context"
	"testing"

	parley "github.com/parley-dev/parley"
	"github.com/parley-dev/parley/internal/apitest"
	"github.com/parley-dev/parley/internal/store"
	"github.com/parley-dev/parley/internal/storetest"
)

func TestConformance(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		storetest.Run(t, func(t *testing.T) parley.Store {
			db, err := store.Open(context.Background(), apitest.DatabaseURL(t, engine), store.Options{})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Close() })
			if db.Engine() != engine {
				t.Fatalf("engine = %s, want %s", db.Engine(), engine)
			}
			return db
		})
	})
}

// TestStoresShareOneDatabase runs two stores over one database, as two
// Parley processes on one PostgreSQL (or, less usefully, one SQLite file).
func TestStoresShareOneDatabase(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		url := apitest.DatabaseURL(t, engine)
		var stores []parley.Store
		for range 2 {
			db, err := store.Open(context.Background(), url, store.Options{})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Close() })
			stores = append(stores, db)
		}
		storetest.RunShared(t, stores)
	})
}

func TestMigrationsAreIdempotent(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		url := apitest.DatabaseURL(t, engine)
		for i := 0; i < 2; i++ {
			db, err := store.Open(context.Background(), url, store.Options{})
			if err != nil {
				t.Fatalf("open #%d: %v", i+1, err)
			}
			db.Close()
		}
	})
}

func TestRejectsUnknownDatabaseURL(t *testing.T) {
	if _, err := store.Open(context.Background(), "mysql://localhost/x", store.Options{}); err == nil {
		t.Fatal("mysql URL accepted")
	}
}
