package apitest

import (
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"testing"
	"time"

	twclient "github.com/twilio/twilio-go/client"

	"github.com/parley-dev/parley/internal/server"
)

// HookCall is one request a webhook receiver got.
type HookCall struct {
	Method    string
	URL       string // as requested: scheme, host, path and query
	Params    url.Values
	Signature string
	Token     string
}

// Receiver is a real HTTP webhook receiver on loopback. answer picks each
// response (status, body) from the call's number (0-based).
type Receiver struct {
	// URL is the receiver's base URL.
	URL    string
	t      *testing.T
	calls  chan HookCall
	mu     sync.Mutex
	n      int
	answer func(n int, c HookCall) (int, string)
}

// NewReceiver starts a receiver on a free loopback port; a nil answer
// answers 200 with an empty body.
func NewReceiver(t *testing.T, answer func(n int, c HookCall) (int, string)) *Receiver {
	rc := &Receiver{t: t, calls: make(chan HookCall, 100), answer: answer}
	srv := httptest.NewServer(http.HandlerFunc(rc.serve))
	t.Cleanup(srv.Close)
	rc.URL = srv.URL
	return rc
}

// NewReceiverAt starts a receiver on a given loopback address (a restart).
func NewReceiverAt(t *testing.T, addr string, answer func(n int, c HookCall) (int, string)) *Receiver {
	rc := &Receiver{t: t, calls: make(chan HookCall, 100), answer: answer}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	srv := &httptest.Server{Listener: ln, Config: &http.Server{Handler: http.HandlerFunc(rc.serve)}}
	srv.Start()
	t.Cleanup(srv.Close)
	rc.URL = srv.URL
	return rc
}

func (rc *Receiver) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	params, _ := url.ParseQuery(string(body))
	if r.Method == http.MethodGet {
		params = r.URL.Query()
	}
	c := HookCall{Method: r.Method, URL: "http://" + r.Host + r.URL.RequestURI(), Params: params,
		Signature: r.Header.Get("X-Twilio-Signature"), Token: r.Header.Get("I-Twilio-Idempotency-Token")}
	rc.mu.Lock()
	n := rc.n
	rc.n++
	rc.mu.Unlock()
	status, reply := http.StatusOK, ""
	if rc.answer != nil {
		status, reply = rc.answer(n, c)
	}
	rc.calls <- c
	w.WriteHeader(status)
	io.WriteString(w, reply)
}

// Next waits for the receiver's next call.
func (rc *Receiver) Next() HookCall {
	rc.t.Helper()
	select {
	case c := <-rc.calls:
		return c
	case <-time.After(10 * time.Second):
		rc.t.Fatal("no webhook call within 10s")
		return HookCall{}
	}
}

// None checks that no call arrives within a short grace period.
func (rc *Receiver) None() {
	rc.t.Helper()
	select {
	case c := <-rc.calls:
		rc.t.Errorf("unexpected webhook call %s %v", c.Params.Get("EventType"), c.Params)
	case <-time.After(300 * time.Millisecond):
	}
}

// VerifySignature checks a call's X-Twilio-Signature with twilio-go's own
// validator.
func VerifySignature(t *testing.T, authToken string, c HookCall) {
	t.Helper()
	flat := map[string]string{}
	target := c.URL
	if c.Method == http.MethodPost {
		for k := range c.Params {
			flat[k] = c.Params.Get(k)
		}
	}
	v := twclient.NewRequestValidator(authToken)
	if !v.Validate(target, flat, c.Signature) {
		t.Errorf("X-Twilio-Signature %q of %s %s does not validate", c.Signature, c.Method, target)
	}
}

// FastRetries makes failed webhook deliveries retry after a millisecond.
func FastRetries(c *server.Config) { c.WebhookBackoff = time.Millisecond }
