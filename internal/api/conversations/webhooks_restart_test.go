package conversations_test

import (
	"encoding/json"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/parley-dev/parley/internal/apitest"
	"github.com/parley-dev/parley/internal/server"
)

// A post-event committed while its receiver is down is delivered after
// Parley restarts on the same database: the job is a row, not memory.
func TestWebhookSurvivesRestart(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		// Long enough that no retry runs before the stop, short enough that
		// the restarted server retries at once.
		env := apitest.Start(t, engine, func(c *server.Config) { c.WebhookBackoff = 300 * time.Millisecond })
		api := env.Twilio().ConversationsV1
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addr := ln.Addr().String()
		ln.Close() // the receiver is down
		setHooks(t, api, "POST", "", "http://"+addr+"/post", "onMessageAdded")
		ch := newConv(t, api)
		if _, err := postWithHooks(api, ch, "durable"); err != nil {
			t.Fatal(err)
		}
		env.Stop()

		rc := apitest.NewReceiverAt(t, addr, nil)
		cfg := env.Config()
		restarted := apitest.StartConfig(t, engine, cfg)
		c := rc.Next()
		if got := spaced(c.Params.Get("EventType"), c.Params.Get("Body")); got != "onMessageAdded durable" {
			t.Errorf("after restart = %s", got)
		}
		apitest.VerifySignature(t, restarted.AuthToken, c)
		if c.Params.Get("RetryCount") == "0" {
			t.Errorf("RetryCount 0 after a failed attempt")
		}
	})
}

// The inspector lists recent deliveries with their outcome.
func TestWebhookInspector(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		env := apitest.Start(t, engine)
		api := env.Twilio().ConversationsV1
		rc := apitest.NewReceiver(t, nil)
		setHooks(t, api, "POST", "", rc.URL+"/post", "onMessageAdded")
		ch := newConv(t, api)
		if _, err := postWithHooks(api, ch, "inspect me"); err != nil {
			t.Fatal(err)
		}
		rc.Next()
		var list struct {
			Deliveries []map[string]any `json:"deliveries"`
		}
		// The call is recorded right after the receiver answered; poll briefly.
		for deadline := time.Now().Add(5 * time.Second); len(list.Deliveries) == 0 && time.Now().Before(deadline); {
			list.Deliveries = inspect(t, env, env.AccountSID, env.AuthToken, http.StatusOK)
		}
		if len(list.Deliveries) != 1 {
			t.Fatalf("deliveries = %v", list.Deliveries)
		}
		d := list.Deliveries[0]
		if got := spaced(d["event"], d["url"], d["method"], d["attempts"], d["last_status"], d["last_error"]); got != spaced("onMessageAdded", rc.URL+"/post", "POST", 1, 200, nil) {
			t.Errorf("delivery = %s", got)
		}
		inspect(t, env, env.AccountSID, "wrong", http.StatusUnauthorized)
	})
}

func inspect(t *testing.T, env *apitest.Env, user, pass string, want int) []map[string]any {
	t.Helper()
	req, _ := http.NewRequest("GET", env.URL+"/parley/v1/WebhookDeliveries", nil)
	req.SetBasicAuth(user, pass)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != want || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		t.Fatalf("inspector = %d %s, want %d", resp.StatusCode, resp.Header.Get("Content-Type"), want)
	}
	var out struct {
		Deliveries []map[string]any `json:"deliveries"`
	}
	json.NewDecoder(resp.Body).Decode(&out)
	return out.Deliveries
}
