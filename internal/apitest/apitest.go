// Package apitest starts real Parley servers for tests — on a loopback port,
// over a real SQLite file or a fresh PostgreSQL schema — and hands out
// clients (the official twilio-go helper library, or raw HTTP) whose every
// response is validated against Twilio's OpenAPI spec.
package apitest

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	twilio "github.com/twilio/twilio-go"
	twclient "github.com/twilio/twilio-go/client"

	parley "github.com/parley-dev/parley"
	"github.com/parley-dev/parley/internal/server"
)

// Env is one running server and its account.
type Env struct {
	T          testing.TB
	Engine     string
	URL        string
	AccountSID string
	AuthToken  string
	Server     *server.Server
	cfg        server.Config
	specs      map[string]*Spec // by path prefix
}

// specByPrefix names the spec each product's paths are validated against.
var specByPrefix = map[string]string{
	"/v1/":         "twilio_conversations_v1",
	"/v2/":         "twilio_chat_v2",
	"/v3/":         "twilio_chat_v3",
	"/parley/v1/":  "parley_v1",     // Parley's own API
	"/demo/":       "parley_v1",     // the demo page's dev-mode token endpoint
	"/mcs/v1/":     "parley_mcs_v1", // Parley's media service (no Twilio spec has MCS)
	"/2010-04-01/": "twilio_api_v2010_accounts_keys_numbers",
	// Messaging Services, served under a prefix (their /v1/Services would
	// collide with Conversations'); the prefix is stripped to validate.
	"/messaging/v1/": "twilio_messaging_v1_services",
}

// Option adjusts the server config before start.
type Option func(*server.Config)

// VirtualClock starts the server on a virtual clock, moved only by
// POST /parley/v1/Clock.
func VirtualClock(c *server.Config) { c.Clock = server.ClockVirtual }

// Engines runs fn once per storage engine: SQLite always, PostgreSQL when
// reachable (see Postgres).
func Engines(t *testing.T, fn func(t *testing.T, engine string)) {
	for _, engine := range []string{"sqlite", "postgres"} {
		t.Run(engine, func(t *testing.T) { fn(t, engine) })
	}
}

// DatabaseURL returns a fresh, empty database for engine, dropped when the
// test ends: a SQLite file in a temp dir, or a new PostgreSQL schema.
func DatabaseURL(t testing.TB, engine string) string {
	if engine == "postgres" {
		return PostgresURL(t)
	}
	return t.TempDir() + "/parley.db"
}

// Start starts a server over a fresh database of the given engine with a
// fixed account, and stops it when the test ends.
func Start(t testing.TB, engine string, opts ...Option) *Env {
	t.Helper()
	cfg := server.Config{
		Addr:        "127.0.0.1:0",
		DataDir:     t.TempDir(),
		DatabaseURL: DatabaseURL(t, engine),
		AccountSID:  parley.NewSID(parley.PrefixAccount),
		AuthToken:   parley.NewSecret(),
		Logger:      slog.New(slog.NewTextHandler(io.Discard, nil)),
	}
	for _, o := range opts {
		o(&cfg)
	}
	return StartConfig(t, engine, cfg)
}

// StartConfig starts a server with exactly cfg (a restart reuses one).
func StartConfig(t testing.TB, engine string, cfg server.Config) *Env {
	t.Helper()
	srv, err := server.Start(context.Background(), cfg)
	if err != nil {
		t.Fatalf("start parley: %v", err)
	}
	specs := map[string]*Spec{}
	for prefix, name := range specByPrefix {
		spec, err := LoadSpec(name)
		if err != nil {
			t.Fatal(err)
		}
		specs[prefix] = spec
	}
	env := &Env{T: t, Engine: engine, URL: srv.URL(), AccountSID: srv.Account.SID, AuthToken: srv.Account.AuthToken,
		Server: srv, cfg: cfg, specs: specs}
	t.Cleanup(func() { env.Stop() })
	return env
}

// Config is the config the server was started with.
func (e *Env) Config() server.Config { return e.cfg }

// Stop shuts the server down (idempotent).
func (e *Env) Stop() {
	if e.Server == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := e.Server.Shutdown(ctx); err != nil {
		e.T.Errorf("shutdown: %v", err)
	}
	e.Server = nil
}

// Twilio returns the official twilio-go client, pointed at this server, with
// the account's credentials.
func (e *Env) Twilio() *twilio.RestClient {
	return e.TwilioAs(e.AccountSID, e.AuthToken)
}

// TwilioAs returns a twilio-go client using the given credentials.
func (e *Env) TwilioAs(username, password string) *twilio.RestClient {
	c := &twclient.Client{
		Credentials: twclient.NewCredentials(username, password),
		HTTPClient:  &http.Client{Transport: e.Transport(), Timeout: 30 * time.Second},
	}
	c.SetAccountSid(username)
	return twilio.NewRestClientWithParams(twilio.ClientParams{Username: username, Password: password, Client: c})
}

// TwilioKey returns a twilio-go client authenticating with an API key and
// its secret, acting for accountSID (the 2010 API's path account), as
// twilio-go documents for API keys.
func (e *Env) TwilioKey(keySID, secret, accountSID string) *twilio.RestClient {
	c := &twclient.Client{
		Credentials: twclient.NewCredentials(keySID, secret),
		HTTPClient:  &http.Client{Transport: e.Transport(), Timeout: 30 * time.Second},
	}
	c.SetAccountSid(accountSID)
	return twilio.NewRestClientWithParams(twilio.ClientParams{Username: keySID, Password: secret, AccountSid: accountSID, Client: c})
}

// Transport sends every request, whatever its host, to this server and
// validates each JSON response against the spec. Requests for Twilio's
// messaging host go to the /messaging path prefix (the path transport).
func (e *Env) Transport() http.RoundTripper { return &validatingTransport{env: e} }

// HostTransport is Transport for clients that keep Twilio's Host header:
// it connects to this server but leaves the path and the Host alone, so
// Parley routes by Host (the Host transport).
func (e *Env) HostTransport() http.RoundTripper { return &validatingTransport{env: e, keepHost: true} }

type validatingTransport struct {
	env      *Env
	keepHost bool
}

func (vt *validatingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	target, _ := url.Parse(vt.env.URL)
	out := req.Clone(req.Context())
	host := req.URL.Host
	out.URL.Scheme, out.URL.Host, out.Host = target.Scheme, target.Host, target.Host
	switch {
	case vt.keepHost:
		out.Host = host
	case strings.HasPrefix(host, "messaging."):
		out.URL.Path = "/messaging" + out.URL.Path
	}
	resp, body, err := roundTripRead(http.DefaultTransport, out)
	if err != nil {
		return nil, err
	}
	path := out.URL.Path
	if vt.keepHost && strings.HasPrefix(host, "messaging.") && !strings.HasPrefix(path, "/messaging/") {
		path = "/messaging" + path
	}
	vt.env.check(req.Method, path, req.URL.RawQuery, resp, body)
	return resp, nil
}

// check validates one response, failing the test when it breaks the spec of
// the product the path belongs to.
func (e *Env) check(method, path, query string, resp *http.Response, body []byte) {
	if resp.StatusCode == http.StatusNoContent && len(body) != 0 {
		e.T.Errorf("%s %s: 204 with a body: %s", method, path, body)
	}
	if resp.StatusCode != http.StatusNoContent && !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		e.T.Errorf("%s %s: Content-Type %q, want application/json", method, path, resp.Header.Get("Content-Type"))
		return
	}
	var spec *Spec
	for prefix, s := range e.specs {
		if strings.HasPrefix(path, prefix) {
			spec = s
		}
	}
	if spec == nil {
		if resp.StatusCode < 400 {
			e.T.Errorf("%s %s answered %d but belongs to no known spec", method, path, resp.StatusCode)
		} else if err := validateErrorBody(resp.StatusCode, body); err != nil {
			e.T.Errorf("%s %s: %v", method, path, err)
		}
		return
	}
	if _, err := spec.Validate(method, strings.TrimPrefix(path, "/messaging"), query, resp.StatusCode, resp.Header, body); err != nil {
		e.T.Errorf("%v", err)
	}
}

// Response is a raw HTTP exchange's result.
type Response struct {
	Status int
	Header http.Header
	Body   []byte
}

// Do sends a raw request with the account's credentials (form-encoded params
// in the body for POST, in the query otherwise) and validates the response.
func (e *Env) Do(method, path string, params url.Values) Response {
	return e.DoAs(e.AccountSID, e.AuthToken, method, path, params)
}

// DoAs is Do with other credentials ("" sends none).
func (e *Env) DoAs(username, password, method, path string, params url.Values) Response {
	e.T.Helper()
	var body io.Reader
	target := e.URL + path
	if method == http.MethodPost {
		body = strings.NewReader(params.Encode())
	} else if len(params) > 0 {
		target += "?" + params.Encode()
	}
	req, err := http.NewRequest(method, target, body)
	if err != nil {
		e.T.Fatal(err)
	}
	if method == http.MethodPost {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if username != "" {
		req.SetBasicAuth(username, password)
	}
	resp, err := (&http.Client{Transport: e.Transport(), Timeout: 30 * time.Second}).Do(req)
	if err != nil {
		e.T.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	return Response{Status: resp.StatusCode, Header: resp.Header, Body: raw}
}

// String describes a response for failure messages.
func (r Response) String() string { return fmt.Sprintf("%d %s", r.Status, r.Body) }

// Checking wraps next (nil: Go's default transport) so every JSON response
// it returns, from whatever host, is validated against the spec of the
// product its path belongs to. It is for clients of our own, such as
// parley import's, that reach this server through proxies of a test.
func (e *Env) Checking(next http.RoundTripper) http.RoundTripper {
	if next == nil {
		next = http.DefaultTransport
	}
	return checkingTransport{env: e, next: next}
}

type checkingTransport struct {
	env  *Env
	next http.RoundTripper
}

func (ct checkingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, body, err := roundTripRead(ct.next, req)
	if err != nil {
		return nil, err
	}
	ct.env.check(req.Method, req.URL.Path, req.URL.RawQuery, resp, body)
	return resp, nil
}

// roundTripRead sends req and reads the whole answer, leaving it readable
// again for the caller.
func roundTripRead(rt http.RoundTripper, req *http.Request) (*http.Response, []byte, error) {
	resp, err := rt.RoundTrip(req)
	if err != nil {
		return nil, nil, err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	return resp, body, nil
}
