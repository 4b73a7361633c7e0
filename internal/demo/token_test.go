package demo_test

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	twapi "github.com/twilio/twilio-go/rest/api/v2010"

	"github.com/parley-dev/parley/internal/apitest"
	"github.com/parley-dev/parley/internal/demo"
	"github.com/parley-dev/parley/internal/server"
)

// TestTokenEndpoint: a dev-mode server mints tokens for any identity
// without credentials, signed with its "parley serve --dev" API key, and
// refuses a missing or overlong identity; without dev mode the endpoint
// answers 404 and the page is served all the same.
func TestTokenEndpoint(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		t.Run("Dev", func(t *testing.T) {
			var log lockedBuffer
			e := apitest.Start(t, engine, func(c *server.Config) {
				c.Dev = true
				c.Logger = slog.New(slog.NewTextHandler(&log, nil))
			})
			if l := log.String(); !strings.Contains(l, "level=WARN msg=\"dev mode is on: POST /demo/token hands out access tokens for any identity without credentials") {
				t.Errorf("the log does not warn of dev mode:\n%s", l)
			}
			r := e.DoAs("", "", "POST", "/demo/token", url.Values{"Identity": {" alice "}})
			var got demo.TokenResponse
			if err := json.Unmarshal(r.Body, &got); err != nil || r.Status != 200 {
				t.Fatalf("POST /demo/token: %v, %v", r, err)
			}
			if got.Identity != "alice" || got.TTL != demo.TokenTTL || strings.Count(got.Token, ".") != 2 {
				t.Errorf("minted %+v", got)
			}
			if cc := r.Header.Get("Cache-Control"); cc != "no-store" {
				t.Errorf("Cache-Control = %q, want no-store", cc)
			}
			keys, err := e.Twilio().Api.ListKey(&twapi.ListKeyParams{})
			if err != nil {
				t.Fatal(err)
			}
			if len(keys) != 1 || keys[0].FriendlyName == nil || *keys[0].FriendlyName != "parley serve --dev" {
				t.Errorf("API keys after dev start: %d, want the one named parley serve --dev", len(keys))
			}
			for name, params := range map[string]url.Values{
				"missing":  {},
				"blank":    {"Identity": {"  "}},
				"too long": {"Identity": {strings.Repeat("a", 257)}},
			} {
				if r := e.DoAs("", "", "POST", "/demo/token", params); r.Status != 400 || !strings.Contains(string(r.Body), `"code":20001`) {
					t.Errorf("%s identity: %v, want 400 with code 20001", name, r)
				}
			}
		})
		t.Run("Off", func(t *testing.T) {
			e := apitest.Start(t, engine)
			if r := e.DoAs("", "", "POST", "/demo/token", url.Values{"Identity": {"alice"}}); r.Status != 404 || !strings.Contains(string(r.Body), `"code":20404`) {
				t.Errorf("POST /demo/token without dev mode: %v, want 404 with code 20404", r)
			}
			client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
			resp, err := client.Get(e.URL + "/demo")
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusMovedPermanently || resp.Header.Get("Location") != "/demo/" {
				t.Errorf("GET /demo: %d to %q, want 301 to /demo/", resp.StatusCode, resp.Header.Get("Location"))
			}
			for path, wantType := range map[string]string{"/demo/": "text/html", "/demo/app.js": "text/javascript", "/demo/twilio-conversations.min.js": "text/javascript"} {
				resp, err := http.Get(e.URL + path)
				if err != nil {
					t.Fatal(err)
				}
				body, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), wantType) || len(body) == 0 {
					t.Errorf("GET %s: %d %s, %d bytes", path, resp.StatusCode, resp.Header.Get("Content-Type"), len(body))
				}
			}
		})
	})
}

// lockedBuffer is a log sink the server's goroutines write to while the
// test reads it.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
