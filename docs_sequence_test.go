package parley_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"

	"github.com/parley-dev/parley/internal/apitest"
)

// TestDocsInSequence runs every guide's examples and the README's
// quickstarts one after another on ONE server, as a reader who follows
// them does, in two orders: each must work whatever the others left
// configured (a service webhook URL, a moved clock, conversations).
func TestDocsInSequence(t *testing.T) {
	guides := map[string]func(t *testing.T, env *apitest.Env, hooks *hookLog){
		"readme":    func(t *testing.T, env *apitest.Env, _ *hookLog) { readmeCurlSession(t, env) },
		"webhooks":  webhooksExample,
		"migrating": func(t *testing.T, env *apitest.Env, _ *hookLog) { migratingGuideRun(t, env) },
		"timers":    timersGuide,
		"go":        func(t *testing.T, env *apitest.Env, _ *hookLog) { goQuickstart(t, env) },
		"node":      func(t *testing.T, env *apitest.Env, _ *hookLog) { nodeQuickstart(t, env) },
		"accounts":  func(t *testing.T, env *apitest.Env, _ *hookLog) { accountsCurlSession(t, env) },
	}
	for _, order := range [][]string{
		{"readme", "go", "node", "webhooks", "migrating", "timers", "accounts"},
		{"readme", "accounts", "migrating", "timers", "webhooks", "node", "go"},
	} {
		t.Run(strings.Join(order, "-"), func(t *testing.T) {
			env := apitest.Start(t, "sqlite", apitest.VirtualClock)
			for _, g := range order {
				if _, err := exec.LookPath("node"); g == "node" && err != nil && os.Getenv("CI") == "" {
					continue // the rest of the sequence still runs; TestReadmeNodeQuickstart reports the skip
				}
				// A fresh receiver per guide, so each counts only its own calls.
				guides[g](t, env, newHookLog(t))
			}
		})
	}
}

// hookLog is a webhook receiver that answers 200 and keeps every call.
type hookLog struct {
	url string
	mu  sync.Mutex
	all []hookCall
}

type hookCall struct {
	path, signature string
	form            url.Values
}

func newHookLog(t *testing.T) *hookLog {
	h := &hookLog{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		h.mu.Lock()
		h.all = append(h.all, hookCall{path: r.URL.Path, signature: r.Header.Get("X-Twilio-Signature"), form: r.PostForm})
		h.mu.Unlock()
	}))
	t.Cleanup(srv.Close)
	h.url = srv.URL
	return h
}

// calls returns the calls of one event type, in arrival order.
func (h *hookLog) calls(event string) []hookCall {
	h.mu.Lock()
	defer h.mu.Unlock()
	var out []hookCall
	for _, c := range h.all {
		if c.form.Get("EventType") == event {
			out = append(out, c)
		}
	}
	return out
}
