package parley_test

import (
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/parley-dev/parley/internal/apitest"
	"github.com/parley-dev/parley/internal/server"
)

// runOpsBlock runs a docs/operations.md block with bash in an empty working
// directory and HOME set to another, replacing the doc's example paths and
// URLs as given; it returns HOME, and fails if the block left files in the
// working directory (a reader's checkout).
func runOpsBlock(t *testing.T, marker string, replace ...string) (home string) {
	t.Helper()
	script := strings.NewReplacer(replace...).Replace(docBlock(t, "docs/operations.md", marker))
	home, cwd := t.TempDir(), t.TempDir()
	cmd := exec.Command("bash", "-euo", "pipefail", "-c", script)
	cmd.Dir = cwd
	cmd.Env = append(os.Environ(), "HOME="+home)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s: %v\n%s\n%s", marker, err, script, out)
	}
	if left, _ := os.ReadDir(cwd); len(left) > 0 {
		t.Errorf("%s left %d files in the working directory", marker, len(left))
	}
	return home
}

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
	home := runOpsBlock(t, "<!-- ops-sqlite-backup -->", "parley-data/parley.db", env.Config().DatabaseURL)
	for _, name := range []string{"parley.db", "parley-compact.db"} {
		cfg := env.Config()
		cfg.DatabaseURL = filepath.Join(home, "parley-backups", name)
		restored := apitest.StartConfig(t, "sqlite", cfg)
		if r := restored.Do("GET", "/v1/Conversations/backed-up", nil); r.Status != 200 {
			t.Errorf("restored from %s: %s", name, r)
		}
		restored.Stop()
	}
}

// TestOperationsPostgresDump runs docs/operations.md's pg_dump on a live
// server's schema (the restore line is left out: it would write into the
// shared test database).
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
	const docURL = "postgres://parley@db.internal:5432/parley"
	// Only this test's schema: other tests create and drop theirs meanwhile.
	home := runOpsBlock(t, "<!-- ops-postgres-backup -->", "pg_restore ", "true ",
		`"`+docURL+`"`, `"`+u.String()+`" --schema=`+schema)
	list, err := exec.Command("pg_restore", "--list", filepath.Join(home, "parley-backups", "parley.dump")).CombinedOutput()
	if err != nil || !strings.Contains(string(list), "TABLE DATA "+schema+" conversations") {
		t.Errorf("dump lacks the conversations table data: %v\n%s", err, list)
	}
}

// TestOperationsMetricsDocumented checks docs/operations.md's metrics table
// against a live /metrics: every documented metric is served, and every
// parley_ metric served is documented.
func TestOperationsMetricsDocumented(t *testing.T) {
	raw, err := os.ReadFile("docs/operations.md")
	if err != nil {
		t.Fatal(err)
	}
	_, table, ok := strings.Cut(string(raw), "<!-- ops-metrics -->")
	if !ok {
		t.Fatal("docs/operations.md has no <!-- ops-metrics --> table")
	}
	documented := map[string]bool{}
	for _, m := range regexp.MustCompile("(?m)^\\| `(parley_[a-z_]+)`").FindAllStringSubmatch(table, -1) {
		documented[m[1]] = true
	}
	env := apitest.Start(t, "sqlite", func(c *server.Config) { c.Metrics = true })
	hooks := newHookLog(t)
	env.Do("POST", "/v1/Configuration/Webhooks", url.Values{"PostWebhookUrl": {hooks.url}, "Filters": {"onConversationAdded"}})
	req, _ := http.NewRequest("POST", env.URL+"/v1/Conversations", nil)
	req.Header.Set("X-Twilio-Webhook-Enabled", "true")
	req.SetBasicAuth(env.AccountSID, env.AuthToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	served := map[string]bool{}
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		resp, err := http.Get(env.URL + "/metrics")
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		served = map[string]bool{}
		for _, m := range regexp.MustCompile("(?m)^# TYPE (parley_[a-z_]+) ").FindAllStringSubmatch(string(body), -1) {
			served[m[1]] = true
		}
		if served["parley_webhook_attempts_total"] {
			break
		}
	}
	for name := range documented {
		if !served[name] {
			t.Errorf("docs/operations.md documents %s, which /metrics does not serve", name)
		}
	}
	for name := range served {
		if !documented[name] {
			t.Errorf("/metrics serves %s, which docs/operations.md does not document", name)
		}
	}
	if len(documented) < 7 {
		t.Errorf("the table documents %d metrics", len(documented))
	}
}
