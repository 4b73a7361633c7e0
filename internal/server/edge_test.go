package server_test

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/parley-dev/parley/internal/apitest"
	"github.com/parley-dev/parley/internal/server"
)

// logBuffer collects a server's JSON log lines.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// lines returns the logged objects whose msg is msg.
func (b *logBuffer) lines(msg string) []map[string]any {
	b.mu.Lock()
	defer b.mu.Unlock()
	var out []map[string]any
	sc := bufio.NewScanner(bytes.NewReader(b.buf.Bytes()))
	for sc.Scan() {
		var m map[string]any
		if json.Unmarshal(sc.Bytes(), &m) == nil && m["msg"] == msg {
			out = append(out, m)
		}
	}
	return out
}

func withJSONLog(b *logBuffer) apitest.Option {
	return func(c *server.Config) {
		c.Logger = slog.New(slog.NewJSONHandler(b, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
}

var requestID = regexp.MustCompile(`^RQ[0-9a-f]{32}$`)

// createWithWebhooks creates a conversation by REST with webhooks enabled
// (X-Twilio-Webhook-Enabled) and returns the answered response.
func createWithWebhooks(t *testing.T, env *apitest.Env) *http.Response {
	t.Helper()
	req, _ := http.NewRequest("POST", env.URL+"/v1/Conversations", strings.NewReader("FriendlyName=hooked"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Twilio-Webhook-Enabled", "true")
	req.SetBasicAuth(env.AccountSID, env.AuthToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("create with webhooks: %d", resp.StatusCode)
	}
	return resp
}

// Every response carries a Twilio-Request-Id; each request is logged once
// with its method, path, route, status, latency, account and that ID.
func TestRequestIDAndRequestLog(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		var logs logBuffer
		env := apitest.Start(t, engine, withJSONLog(&logs))
		created := env.Do("POST", "/v1/Conversations", url.Values{"FriendlyName": {"logged"}})
		denied := env.DoAs(env.AccountSID, "wrong", "GET", "/v1/Conversations", nil)
		missing := env.Do("GET", "/v1/Conversations/CH00000000000000000000000000000000", nil)
		health, err := http.Get(env.URL + "/healthz")
		if err != nil {
			t.Fatal(err)
		}
		health.Body.Close()
		ids := map[string]bool{}
		for _, c := range []struct {
			name   string
			status int
			header http.Header
		}{{"create", 201, created.Header}, {"denied", 401, denied.Header}, {"missing", 404, missing.Header}, {"healthz", 200, health.Header}} {
			id := c.header.Get("Twilio-Request-Id")
			if !requestID.MatchString(id) || ids[id] {
				t.Errorf("%s: Twilio-Request-Id %q (want RQ + 32 hex, unique)", c.name, id)
			}
			ids[id] = true
		}
		want := map[string]map[string]any{
			created.Header.Get("Twilio-Request-Id"): {"method": "POST", "path": "/v1/Conversations",
				"route": "POST /v1/Conversations", "status": 201.0, "account": env.AccountSID, "level": "INFO"},
			denied.Header.Get("Twilio-Request-Id"):  {"method": "GET", "status": 401.0, "account": ""},
			missing.Header.Get("Twilio-Request-Id"): {"route": "GET /v1/Conversations/{Sid}", "status": 404.0, "account": env.AccountSID},
			health.Header.Get("Twilio-Request-Id"):  {"route": "GET /healthz", "status": 200.0, "level": "DEBUG"},
		}
		logged := map[string]map[string]any{}
		for _, l := range logs.lines("request") {
			logged[l["request_id"].(string)] = l
		}
		for id, fields := range want {
			l := logged[id]
			if l == nil {
				t.Errorf("no request log line for %s", id)
				continue
			}
			for k, v := range fields {
				if l[k] != v {
					t.Errorf("request %s logged %s=%v, want %v", id, k, l[k], v)
				}
			}
			if _, ok := l["latency_ms"].(float64); !ok {
				t.Errorf("request %s logged no latency_ms: %v", id, l)
			}
		}
	})
}

// The request ID of a REST call reaches the webhook deliveries it caused:
// the inspector and the delivery log name it.
func TestRequestIDReachesWebhookDeliveries(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		var logs logBuffer
		env := apitest.Start(t, engine, withJSONLog(&logs))
		hook := apitest.NewReceiver(t, nil)
		if r := env.Do("POST", "/v1/Configuration/Webhooks", url.Values{"PostWebhookUrl": {hook.URL + "/post"},
			"PreWebhookUrl": {hook.URL + "/pre"}, "Filters": {"onConversationAdd", "onConversationAdded"}, "Method": {"POST"}}); r.Status != 200 {
			t.Fatal(r)
		}
		resp := createWithWebhooks(t, env)
		id := resp.Header.Get("Twilio-Request-Id")
		hook.Next()
		hook.Next()
		var deliveries []struct {
			Kind      string `json:"kind"`
			RequestID string `json:"request_id"`
		}
		deadline := time.Now().Add(10 * time.Second)
		for len(deliveries) < 2 && time.Now().Before(deadline) {
			r := env.Do("GET", "/parley/v1/WebhookDeliveries", nil)
			var page struct {
				Deliveries []struct {
					Kind      string `json:"kind"`
					RequestID string `json:"request_id"`
				} `json:"deliveries"`
			}
			if err := json.Unmarshal(r.Body, &page); err != nil {
				t.Fatalf("%v: %s", err, r.Body)
			}
			deliveries = page.Deliveries
			time.Sleep(20 * time.Millisecond)
		}
		if len(deliveries) != 2 {
			t.Fatalf("inspector shows %d deliveries", len(deliveries))
		}
		for _, d := range deliveries {
			if d.RequestID != id {
				t.Errorf("%s delivery has request_id %q, want %s", d.Kind, d.RequestID, id)
			}
		}
		kinds := map[string]bool{}
		for _, l := range logs.lines("webhook delivered") {
			if l["request_id"] == id {
				kinds[l["kind"].(string)] = true
			}
		}
		if !kinds["pre"] || !kinds["post"] {
			t.Errorf("delivery log lines with the request ID: %v", kinds)
		}
	})
}

func get(t *testing.T, u string) (int, string) {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// /metrics exposes the documented series, named as docs/operations.md
// names them.
func TestMetrics(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		env := apitest.Start(t, engine, func(c *server.Config) { c.Metrics = true })
		hook := apitest.NewReceiver(t, nil)
		env.Do("POST", "/v1/Configuration/Webhooks", url.Values{"PostWebhookUrl": {hook.URL}, "Filters": {"onConversationAdded"}})
		createWithWebhooks(t, env)
		hook.Next()
		var body string
		want := []string{
			`parley_http_requests_total{method="POST",route="POST /v1/Conversations",status="201"} 1`,
			`parley_http_request_duration_seconds_bucket{method="POST",route="POST /v1/Conversations",le="+Inf"} 1`,
			`parley_store_commits_total `,
			`parley_store_commit_group_size_bucket{le="1"} `,
			`parley_jobs_due{kind="webhook"} `,
			`parley_jobs_due{kind="conversation.timer"} 0`,
			`parley_jobs_oldest_due_age_seconds{kind="webhook"} `,
			`parley_webhook_attempts_total{kind="post",outcome="ok"} 1`,
			`parley_sdk_connections 0`,
			`parley_sdk_slow_consumer_closes_total 0`,
			`go_goroutines `,
		}
		deadline := time.Now().Add(10 * time.Second)
		for {
			var status int
			status, body = get(t, env.URL+"/metrics")
			if status != 200 {
				t.Fatalf("/metrics answered %d: %s", status, body)
			}
			missing := 0
			for _, w := range want {
				if !strings.Contains(body, w) {
					missing++
				}
			}
			if missing == 0 || time.Now().After(deadline) {
				break
			}
			time.Sleep(20 * time.Millisecond)
		}
		for _, w := range want {
			if !strings.Contains(body, w) {
				t.Errorf("/metrics lacks %q", w)
			}
		}
	})
}

// --metrics-addr and --pprof-addr serve on listeners of their own; the
// main listener then has no /metrics.
func TestSideListeners(t *testing.T) {
	env := apitest.Start(t, "sqlite", func(c *server.Config) { c.MetricsAddr, c.PprofAddr = "127.0.0.1:0", "127.0.0.1:0" })
	if status, body := get(t, "http://"+env.Server.SideAddr("metrics")+"/metrics"); status != 200 || !strings.Contains(body, "parley_store_commits_total") {
		t.Errorf("metrics listener: %d %.200s", status, body)
	}
	if status, body := get(t, "http://"+env.Server.SideAddr("pprof")+"/debug/pprof/"); status != 200 || !strings.Contains(body, "goroutine") {
		t.Errorf("pprof listener: %d %.200s", status, body)
	}
	if status, _ := get(t, env.URL+"/metrics"); status == 200 {
		t.Error("the main listener serves /metrics without --metrics")
	}
	if status, _ := get(t, env.URL+"/debug/pprof/"); status == 200 {
		t.Error("the main listener serves profiles")
	}
	plain := apitest.Start(t, "sqlite")
	if plain.Server.SideAddr("pprof") != "" {
		t.Error("pprof is on by default")
	}
}

// /readyz is 200 while the store answers with every migration applied, and
// 503 naming the reason otherwise.
func TestReadyz(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		env := apitest.Start(t, engine)
		if status, body := get(t, env.URL+"/readyz"); status != 200 || body != "ready\n" {
			t.Fatalf("/readyz = %d %q", status, body)
		}
		driver, dsn := "sqlite3", env.Config().DatabaseURL
		if engine == "postgres" {
			driver = "pgx"
		}
		db, err := sql.Open(driver, dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		if _, err := db.ExecContext(context.Background(), `DELETE FROM schema_migrations WHERE version = (SELECT MAX(version) FROM schema_migrations)`); err != nil {
			t.Fatal(err)
		}
		if status, body := get(t, env.URL+"/readyz"); status != 503 || !strings.Contains(body, "migrations not applied") {
			t.Errorf("/readyz with a migration missing = %d %q", status, body)
		}
	})
}

// The webhook inspector lives in the store: a restarted server shows the
// deliveries of the one before, with their request IDs.
func TestInspectorSurvivesRestart(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		env := apitest.Start(t, engine)
		hook := apitest.NewReceiver(t, nil)
		env.Do("POST", "/v1/Configuration/Webhooks", url.Values{"PostWebhookUrl": {hook.URL}, "Filters": {"onConversationAdded"}})
		resp := createWithWebhooks(t, env)
		hook.Next()
		// Stop right after the call: the record is still waiting for its
		// flush, which Shutdown must do.
		env.Stop()
		restarted := apitest.StartConfig(t, engine, env.Config())
		r := restarted.Do("GET", "/parley/v1/WebhookDeliveries", nil)
		var page struct {
			Deliveries []map[string]any `json:"deliveries"`
		}
		if err := json.Unmarshal(r.Body, &page); err != nil {
			t.Fatal(err)
		}
		if len(page.Deliveries) != 1 {
			t.Fatalf("after a restart the inspector shows %s", r.Body)
		}
		d := page.Deliveries[0]
		if d["event"] != "onConversationAdded" || d["request_id"] != resp.Header.Get("Twilio-Request-Id") || d["last_status"] != 200.0 {
			t.Errorf("after a restart: %v", d)
		}
	})
}
