package apitest

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the PostgreSQL driver

	parley "github.com/parley-dev/parley"
)

// PostgreSQL for tests: PARLEY_TEST_POSTGRES_URL names the server (default:
// the local one with trust auth, database "test"). Each test gets its own
// schema, so runs never collide. Without a reachable server the PostgreSQL
// tests skip — unless PARLEY_TEST_POSTGRES=require (CI sets it), when they fail.
const defaultPostgresURL = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"

// PostgresURL creates a fresh schema and returns a URL whose search_path
// selects it; the schema is dropped when the test ends.
func PostgresURL(t testing.TB) string {
	t.Helper()
	base := os.Getenv("PARLEY_TEST_POSTGRES_URL")
	if base == "" {
		base = defaultPostgresURL
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	admin, err := sql.Open("pgx", base)
	if err == nil {
		err = admin.PingContext(ctx)
	}
	if err != nil {
		if os.Getenv("PARLEY_TEST_POSTGRES") == "require" {
			t.Fatalf("PostgreSQL required (PARLEY_TEST_POSTGRES=require) but unreachable at %s: %v", base, err)
		}
		t.Skipf("PostgreSQL not reachable at %s; set PARLEY_TEST_POSTGRES_URL to run these tests", base)
	}
	schema := "parley_test_" + strings.ToLower(parley.NewSID("")[:16])
	if _, err := admin.ExecContext(ctx, "CREATE SCHEMA "+schema); err != nil {
		admin.Close()
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if _, err := admin.ExecContext(ctx, "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
		}
		admin.Close()
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return fmt.Sprint(u)
}
