package conversations_test

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
	conv "github.com/twilio/twilio-go/rest/conversations/v1"

	"github.com/parley-dev/parley/internal/apitest"
	"github.com/parley-dev/parley/internal/server"
)

// hookCall is one request a webhook receiver got.
type hookCall struct {
	Method    string
	URL       string // as requested: scheme, host, path and query
	Params    url.Values
	Signature string
	Token     string
}

// receiver is a real HTTP webhook receiver on loopback. answer picks each
// response (status, body) from the call's number (0-based).
type receiver struct {
	t      *testing.T
	srv    *httptest.Server
	calls  chan hookCall
	mu     sync.Mutex
	n      int
	answer func(n int, c hookCall) (int, string)
}

func newReceiver(t *testing.T, answer func(n int, c hookCall) (int, string)) *receiver {
	rc := &receiver{t: t, calls: make(chan hookCall, 100), answer: answer}
	rc.srv = httptest.NewServer(http.HandlerFunc(rc.serve))
	t.Cleanup(rc.srv.Close)
	return rc
}

// newReceiverAt starts a receiver on a given loopback address (a restart).
func newReceiverAt(t *testing.T, addr string, answer func(n int, c hookCall) (int, string)) *receiver {
	rc := &receiver{t: t, calls: make(chan hookCall, 100), answer: answer}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	rc.srv = &httptest.Server{Listener: ln, Config: &http.Server{Handler: http.HandlerFunc(rc.serve)}}
	rc.srv.Start()
	t.Cleanup(rc.srv.Close)
	return rc
}

func (rc *receiver) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	params, _ := url.ParseQuery(string(body))
	if r.Method == http.MethodGet {
		params = r.URL.Query()
	}
	c := hookCall{Method: r.Method, URL: "http://" + r.Host + r.URL.RequestURI(), Params: params,
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

// next waits for the receiver's next call.
func (rc *receiver) next() hookCall {
	rc.t.Helper()
	select {
	case c := <-rc.calls:
		return c
	case <-time.After(10 * time.Second):
		rc.t.Fatal("no webhook call within 10s")
		return hookCall{}
	}
}

// none checks that no call arrives within a short grace period.
func (rc *receiver) none() {
	rc.t.Helper()
	select {
	case c := <-rc.calls:
		rc.t.Errorf("unexpected webhook call %s %v", c.Params.Get("EventType"), c.Params)
	case <-time.After(300 * time.Millisecond):
	}
}

// verify checks a call's X-Twilio-Signature with twilio-go's own validator.
func verify(t *testing.T, authToken string, c hookCall) {
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

// fastRetries makes failed deliveries retry after a millisecond.
func fastRetries(c *server.Config) { c.WebhookBackoff = time.Millisecond }

// setHooks points the account's webhook configuration at pre and post
// (either may be "") for the given events.
func setHooks(t *testing.T, api *conv.ApiService, method, pre, post string, filters ...string) {
	t.Helper()
	p := &conv.UpdateConfigurationWebhookParams{Method: &method, Filters: &filters}
	p.SetPreWebhookUrl(pre).SetPostWebhookUrl(post)
	if _, err := api.UpdateConfigurationWebhook(p); err != nil {
		t.Fatal(err)
	}
}

// postWithHooks posts a message over REST with X-Twilio-Webhook-Enabled.
func postWithHooks(api *conv.ApiService, conversation, body string) (*conv.ConversationsV1ConversationMessage, error) {
	p := &conv.CreateConversationMessageParams{}
	p.SetBody(body).SetAuthor("alice").SetXTwilioWebhookEnabled("true")
	return api.CreateConversationMessage(conversation, p)
}

func newConv(t *testing.T, api *conv.ApiService) string {
	t.Helper()
	c, err := api.CreateConversation(&conv.CreateConversationParams{})
	if err != nil {
		t.Fatal(err)
	}
	return *c.Sid
}

func messageCount(t *testing.T, env *apitest.Env, conversation string) int {
	t.Helper()
	ms, err := env.Twilio().ConversationsV1.ListConversationMessage(conversation, nil)
	if err != nil {
		t.Fatal(err)
	}
	return len(ms)
}

func confParams(method, post string, filters []string) *conv.UpdateConfigurationWebhookParams {
	return &conv.UpdateConfigurationWebhookParams{Method: &method, PostWebhookUrl: &post, Filters: &filters}
}
