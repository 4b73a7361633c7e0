package conversations_test

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // the PostgreSQL driver, to inspect rows directly
	_ "github.com/mattn/go-sqlite3"    // the SQLite driver, to inspect rows directly

	"github.com/parley-dev/parley/internal/apitest"
)

// openServerDB opens the server's own database, to check what is stored at rest.
func openServerDB(t *testing.T, env *apitest.Env) *sql.DB {
	t.Helper()
	driver, dsn := "sqlite3", env.Config().DatabaseURL
	if env.Engine == "postgres" {
		driver = "pgx"
	}
	db, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// storedRows counts the rows of table whose column equals value.
func storedRows(t *testing.T, env *apitest.Env, table, column, value string) int {
	t.Helper()
	var n int
	if err := openServerDB(t, env).QueryRow(`SELECT COUNT(*) FROM `+table+` WHERE `+column+` = $1`, value).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// formOf builds request parameters from name/value pairs; a name may repeat.
func formOf(pairs ...string) url.Values {
	v := url.Values{}
	for i := 0; i+1 < len(pairs); i += 2 {
		v.Add(pairs[i], pairs[i+1])
	}
	return v
}

// bodyOf parses a JSON response body.
func bodyOf(t *testing.T, resp apitest.Response) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(resp.Body, &m); err != nil {
		t.Fatalf("response is not a JSON object: %v: %s", err, resp.Body)
	}
	return m
}

// expectError checks a raw response's status and Twilio code.
func expectError(t *testing.T, resp apitest.Response, status, code int) {
	t.Helper()
	if resp.Status != status || int(bodyOf(t, resp)["code"].(float64)) != code {
		t.Errorf("got %s, want %d with code %d", resp, status, code)
	}
}

// expectStatus checks a raw response's status.
func expectStatus(t *testing.T, resp apitest.Response, status int) {
	t.Helper()
	if resp.Status != status {
		t.Fatalf("got %s, want status %d", resp, status)
	}
}

// compactJSON renders v compactly for comparisons.
func compactJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(string(b))
}

// spaced renders values separated by spaces, for compact comparisons.
func spaced(v ...any) string { return strings.TrimSpace(fmt.Sprintln(v...)) }

func failf(format string, args ...any) error { return fmt.Errorf(format, args...) }

// pageToken pulls PageToken and Page out of a next_page_url.
func pageToken(t *testing.T, next string) (token, page string) {
	t.Helper()
	u, err := url.Parse(next)
	if err != nil {
		t.Fatal(err)
	}
	return u.Query().Get("PageToken"), u.Query().Get("Page")
}
