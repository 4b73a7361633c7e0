package parley_test

import (
	"net/url"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/parley-dev/parley/internal/apitest"
)

// TestOperationsSQLiteBackup runs docs/operations.md's online backups against
// a live server and starts a server on each copy.
func TestOperationsSQLiteBackup(t *testing.T) {
	if _, err := exec.LookPath("sqlite3"); err != nil {
		t.Skip("sqlite3 command not installed")
	}
	env := apitest.Start(t, "sqlite")
	if r := env.Do("POST", "/v1/Conversations", url.Values{"UniqueName": {"backed-up"}}); r.Status != 201 {
		t.Fatal(r)
	}
	db := env.Config().DatabaseURL
	for _, cmd := range []string{".backup '%s'", "VACUUM INTO '%s'"} {
		copyPath := filepath.Join(t.TempDir(), "parley-backup.db")
		out, err := exec.Command("sqlite3", db, strings.Replace(cmd, "%s", copyPath, 1)).CombinedOutput()
		if err != nil {
			t.Fatalf("sqlite3 %s: %v\n%s", cmd, err, out)
		}
		cfg := env.Config()
		cfg.DatabaseURL, cfg.DataDir = copyPath, filepath.Dir(copyPath)
		restored := apitest.StartConfig(t, "sqlite", cfg)
		if r := restored.Do("GET", "/v1/Conversations/backed-up", nil); r.Status != 200 {
			t.Errorf("restored from %q: %s", cmd, r)
		}
		restored.Stop()
	}
}

// TestOperationsPostgresDump runs docs/operations.md's pg_dump on a live
// server's schema.
func TestOperationsPostgresDump(t *testing.T) {
	if _, err := exec.LookPath("pg_dump"); err != nil {
		t.Skip("pg_dump not installed")
	}
	env := apitest.Start(t, "postgres")
	if r := env.Do("POST", "/v1/Conversations", url.Values{"UniqueName": {"dumped"}}); r.Status != 201 {
		t.Fatal(r)
	}
	u, err := url.Parse(env.Config().DatabaseURL)
	if err != nil {
		t.Fatal(err)
	}
	schema := u.Query().Get("search_path")
	q := u.Query()
	q.Del("search_path")
	u.RawQuery = q.Encode()
	dump := filepath.Join(t.TempDir(), "parley.dump")
	out, err := exec.Command("pg_dump", "--format=custom", "--schema="+schema, "--file="+dump, u.String()).CombinedOutput()
	if err != nil {
		t.Fatalf("pg_dump: %v\n%s", err, out)
	}
	list, err := exec.Command("pg_restore", "--list", dump).CombinedOutput()
	if err != nil || !strings.Contains(string(list), "TABLE DATA "+schema+" conversations") {
		t.Errorf("dump lacks the conversations table data: %v\n%s", err, list)
	}
}
