package twilsock

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"

	parley "github.com/parley-dev/parley"
)

// testVerifier accepts tokens "<identity>.<exp unix>.sig" (the middle part
// base64url JSON as in a JWT) and refuses anything else with 20101, or
// 20104 for "expired".
type testVerifier struct{}

func testToken(identity string, exp time.Time) string {
	claims := fmt.Sprintf(`{"exp":%d}`, exp.Unix())
	return identity + "." + base64.RawURLEncoding.EncodeToString([]byte(claims)) + ".sig"
}

func (testVerifier) VerifyTokenAt(_ context.Context, token string, _ time.Time) (*parley.Principal, error) {
	identity, _, _ := strings.Cut(token, ".")
	switch {
	case identity == "expired":
		return nil, parley.Errorf(20104, "Access Token expired or expiration date invalid")
	case identity == "" || !strings.HasSuffix(token, ".sig"):
		return nil, parley.Errorf(20101, "Invalid Access Token")
	}
	return &parley.Principal{Account: &parley.Account{SID: "AC1"}, Identity: identity, ServiceSID: "IS1"}, nil
}

func (testVerifier) StartSession(_ context.Context, c *parley.Caller) error {
	c.UserSID = "US-" + c.Identity
	return nil
}

// clock is a settable wall clock.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

type env struct {
	t     *testing.T
	srv   *Server
	url   string
	clock *clock
}

func start(t *testing.T, cfg Config) *env {
	clk := &clock{now: time.Now()}
	cfg.Verifier, cfg.Sessions, cfg.Now = testVerifier{}, testVerifier{}, clk.Now
	cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	if cfg.Tick == 0 {
		cfg.Tick = 5 * time.Millisecond
	}
	if cfg.Handler == nil {
		cfg.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			c := parley.CallerFrom(r.Context())
			body, _ := io.ReadAll(r.Body)
			parley.ClientNotifierFrom(r.Context()).Notify("twilio.sync.event", []byte(`{"after":"reply"}`))
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusCreated)
			fmt.Fprintf(w, `{"identity":%q,"path":%q,"query":%q,"body":%q,"host":%q}`, c.Identity, r.URL.EscapedPath(), r.URL.RawQuery, body, r.Host)
		})
	}
	s := New(cfg)
	hs := httptest.NewServer(s)
	t.Cleanup(func() { s.Close(); hs.Close() })
	return &env{t: t, srv: s, url: "ws" + strings.TrimPrefix(hs.URL, "http"), clock: clk}
}

// client is a raw twilsock client.
type client struct {
	t  *testing.T
	ws *websocket.Conn
}

func (e *env) dial() *client {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	ws, _, err := websocket.Dial(ctx, e.url, nil)
	if err != nil {
		e.t.Fatal(err)
	}
	ws.SetReadLimit(-1)
	e.t.Cleanup(func() { ws.CloseNow() })
	return &client{t: e.t, ws: ws}
}

func (c *client) send(h Header, payload string) {
	c.t.Helper()
	b, err := Encode(h, []byte(payload))
	if err != nil {
		c.t.Fatal(err)
	}
	if err := c.ws.Write(context.Background(), websocket.MessageBinary, b); err != nil {
		c.t.Fatal(err)
	}
}

// next reads the next frame, or fails the test.
func (c *client) next() Frame {
	c.t.Helper()
	f, err := c.read()
	if err != nil {
		c.t.Fatal(err)
	}
	return f
}

func (c *client) read() (Frame, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	typ, b, err := c.ws.Read(ctx)
	if err != nil {
		return Frame{}, err
	}
	if typ != websocket.MessageBinary {
		c.t.Fatalf("server sent a %v frame; the SDK drops anything but binary", typ)
	}
	return Decode(b)
}

func (c *client) init(token string) Frame {
	c.t.Helper()
	c.send(Header{Method: "init", ID: "TMinit", Token: token, Registrations: []Registration{{Product: "ip_messaging",
		Type: "ers", MessageTypes: []string{"twilio.sync.event", "com.twilio.rtd.cds.list"}}}}, "")
	return c.next()
}

func TestInit(t *testing.T) {
	e := start(t, Config{})
	c := e.dial()
	r := c.init(testToken("alice", time.Now().Add(time.Hour)))
	if r.Header.Method != "reply" || r.Header.ID != "TMinit" || r.Header.Status == nil || r.Header.Status.Code != 200 {
		t.Fatalf("init reply = %+v", r.Header)
	}
	if r.Header.ContinuationToken == nil || *r.Header.ContinuationToken == "" {
		t.Error("init reply has no continuation token")
	}
	if got := r.Header.Capabilities; len(got) != 1 || got[0] != "client_update" {
		t.Errorf("capabilities = %v, want [client_update] (telemetry is not confirmed)", got)
	}
}

func TestInitRefused(t *testing.T) {
	for _, tc := range []struct {
		token string
		code  int
	}{{"garbage", 20101}, {testToken("expired", time.Now()), 20104}} {
		e := start(t, Config{})
		c := e.dial()
		r := c.init(tc.token)
		if st := r.Header.Status; st == nil || st.Code != 401 || st.ErrorCode != tc.code {
			t.Errorf("token %q: reply status %+v, want 401 with errorCode %d", tc.token, st, tc.code)
		}
		if _, err := c.read(); websocket.CloseStatus(err) != websocket.StatusNormalClosure {
			t.Errorf("token %q: after a refused init the read gave %v, want a normal close", tc.token, err)
		}
	}
}

func TestMessage(t *testing.T) {
	e := start(t, Config{})
	c := e.dial()
	c.init(testToken("alice", time.Now().Add(time.Hour)))
	c.send(Header{Method: "message", ID: "TMm", ActiveGrant: "ip_messaging", PayloadType: "application/json; charset=utf-8",
		HTTPRequest: &HTTPRequest{Host: "cds.us1.twilio.com", Path: "/v3/Maps/UserInfo%3Aalice/Items", Method: "post",
			Params: map[string]json.RawMessage{"Key": json.RawMessage(`"a%20b"`), "X": json.RawMessage(`["1","2"]`)}, Headers: map[string]string{}}}, `{"k":1}`)
	r := c.next()
	if r.Header.ID != "TMm" || r.Header.Status.Code != 200 || r.Header.HTTPStatus == nil || r.Header.HTTPStatus.Code != 201 {
		t.Fatalf("reply = %+v", r.Header)
	}
	want := `"identity":"alice","path":"/v3/Maps/UserInfo%3Aalice/Items","query":"Key=a%20b&X=1&X=2","body":"{\"k\":1}"`
	if !strings.Contains(string(r.Payload), want) {
		t.Errorf("payload = %s, want it to contain %s", r.Payload, want)
	}
	if got := r.Header.HTTPHeaders["Content-Type"]; got != "application/json" {
		t.Errorf("http_headers Content-Type = %q", got)
	}
	n := c.next()
	if n.Header.Method != "notification" || n.Header.MessageType != "twilio.sync.event" || string(n.Payload) != `{"after":"reply"}` {
		t.Errorf("after the reply got %+v %s, want the handler's notification", n.Header, n.Payload)
	}
}

func TestMessageBeforeInit(t *testing.T) {
	e := start(t, Config{})
	c := e.dial()
	c.send(Header{Method: "message", ID: "TMm", HTTPRequest: &HTTPRequest{Path: "/x", Method: "GET"}}, "")
	if r := c.next(); r.Header.Status == nil || r.Header.Status.Code != 401 {
		t.Errorf("reply = %+v, want status 401", r.Header)
	}
}

func TestTextFramesAndAcksAreIgnored(t *testing.T) {
	e := start(t, Config{})
	c := e.dial()
	c.init(testToken("alice", time.Now().Add(time.Hour)))
	c.ws.Write(context.Background(), websocket.MessageText, []byte("hello"))
	c.ws.Write(context.Background(), websocket.MessageBinary, []byte("TWILSOCK V3.0 9\r\n{broken}\r\n"))
	c.send(Header{Method: "reply", ID: "TMn", Status: statusOK}, "")
	c.send(Header{Method: "put_notification_ctx", ID: "TMp"}, "{}")
	if r := c.next(); r.Header.ID != "TMp" || r.Header.Status.Code != 200 {
		t.Errorf("first frame after junk and an ack = %+v, want the reply to TMp", r.Header)
	}
}

func TestUpdate(t *testing.T) {
	e := start(t, Config{})
	c := e.dial()
	c.init(testToken("alice", time.Now().Add(time.Hour)))
	c.send(Header{Method: "update", ID: "TMu1", Token: testToken("alice", time.Now().Add(2*time.Hour))}, "")
	if r := c.next(); r.Header.ID != "TMu1" || r.Header.Status.Code != 200 {
		t.Errorf("update reply = %+v, want 200", r.Header)
	}
	c.send(Header{Method: "update", ID: "TMu2", Token: testToken("mallory", time.Now().Add(2*time.Hour))}, "")
	if r := c.next(); r.Header.Status.Code != 401 || r.Header.Status.ErrorCode != 20101 {
		t.Errorf("update to another identity: reply %+v, want 401/20101", r.Header.Status)
	}
	if _, err := c.read(); err == nil {
		t.Error("the connection stayed open after a refused update")
	}
}

func TestTokenExpiry(t *testing.T) {
	e := start(t, Config{ExpiryWarning: 3 * time.Minute})
	c := e.dial()
	c.init(testToken("alice", e.clock.Now().Add(10*time.Minute)))
	e.clock.add(8 * time.Minute)
	if f := c.next(); f.Header.Method != "client_update" || f.Header.ClientUpdateType != "token_about_to_expire" {
		t.Fatalf("got %+v, want client_update token_about_to_expire", f.Header)
	}
	e.clock.add(3 * time.Minute)
	if f := c.next(); f.Header.Method != "close" || f.Header.Status.Code != 410 {
		t.Fatalf("got %+v, want close 410", f.Header)
	}
}

func TestClientClose(t *testing.T) {
	e := start(t, Config{})
	c := e.dial()
	c.init(testToken("alice", time.Now().Add(time.Hour)))
	c.send(Header{Method: "close", ID: "TMc"}, "")
	if _, err := c.read(); websocket.CloseStatus(err) != websocket.StatusNormalClosure {
		t.Errorf("after close: %v, want a normal closure", err)
	}
	waitFor(t, func() bool { return e.srv.Connections() == 0 })
}

// TestPings: a peer that answers pings stays; one that never reads (so
// never answers) is dropped, on the one shared schedule.
func TestPings(t *testing.T) {
	e := start(t, Config{PingInterval: 20 * time.Millisecond, WriteTimeout: 100 * time.Millisecond})
	live, dead := e.dial(), e.dial()
	live.init(testToken("alice", time.Now().Add(time.Hour)))
	dead.init(testToken("bob", time.Now().Add(time.Hour)))
	go live.ws.Read(context.Background()) // reading answers pings; nothing else arrives
	waitFor(t, func() bool { e.clock.add(10 * time.Millisecond); return e.srv.Connections() == 1 })
	for range 10 { // several ping intervals
		e.clock.add(10 * time.Millisecond)
		time.Sleep(10 * time.Millisecond)
	}
	if got := e.srv.Connections(); got != 1 {
		t.Errorf("connections = %d, want the live one to stay", got)
	}
}

// TestSlowConsumer: notifications to a client that does not read fill its
// bounded queue; it is closed with 308 while another client keeps
// receiving, and pushing never blocks.
func TestSlowConsumer(t *testing.T) {
	e := start(t, Config{QueueSize: 4, WriteTimeout: 200 * time.Millisecond})
	slow, fast := e.dial(), e.dial()
	slow.init(testToken("alice", time.Now().Add(time.Hour)))
	fast.init(testToken("bob", time.Now().Add(time.Hour)))
	payload := []byte(`{"data":"` + strings.Repeat("x", 64<<10) + `"}`)
	var conns []*conn
	e.srv.mu.Lock()
	for c := range e.srv.conns {
		conns = append(conns, c)
	}
	e.srv.mu.Unlock()
	for range 200 {
		for _, c := range conns {
			c.mu.Lock()
			bob := c.caller.Identity == "bob"
			c.mu.Unlock()
			if !bob {
				c.Notify("twilio.sync.event", payload)
			}
		}
	}
	for _, c := range conns {
		c.Notify("com.twilio.rtd.cds.list", []byte(`{"n":1}`))
	}
	if f := fast.next(); f.Header.MessageType != "com.twilio.rtd.cds.list" {
		t.Errorf("fast client got %+v", f.Header)
	}
	offloaded := make(chan bool)
	go func() {
		saw := false
		for {
			f, err := slow.read()
			if err != nil {
				offloaded <- saw
				return
			}
			saw = saw || f.Header.Method == "close" && f.Header.Status.Code == 308
		}
	}()
	waitFor(t, func() bool { return e.srv.Connections() == 1 })
	sawOffload := <-offloaded
	t.Logf("slow client saw the 308 close frame: %v (a peer too slow to take it sees the socket end, which the SDK also retries)", sawOffload)
}

func TestUnregisteredTypesAreNotSent(t *testing.T) {
	e := start(t, Config{})
	c := e.dial()
	c.init(testToken("alice", time.Now().Add(time.Hour)))
	e.srv.mu.Lock()
	for cn := range e.srv.conns {
		cn.Notify("twilio.ipmsg.typing_indicator", []byte(`{}`))
		cn.Notify("twilio.sync.event", []byte(`{"ok":1}`))
	}
	e.srv.mu.Unlock()
	if f := c.next(); string(f.Payload) != `{"ok":1}` {
		t.Errorf("got %+v %s, want only the registered type", f.Header, f.Payload)
	}
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not met in 5s")
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// presenceLog records the Presence calls of a server.
type presenceLog struct {
	mu    sync.Mutex
	calls []string
}

func (p *presenceLog) Connected(_ context.Context, c *parley.Caller) {
	p.add("connected " + c.Identity)
}
func (p *presenceLog) Disconnected(c *parley.Caller) { p.add("disconnected " + c.Identity) }
func (p *presenceLog) add(s string) {
	p.mu.Lock()
	p.calls = append(p.calls, s)
	p.mu.Unlock()
}
func (p *presenceLog) get() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.calls...)
}

// TestPresenceHooks: a session is announced once its init succeeded and
// once it ended; a refused init and a token update announce nothing.
func TestPresenceHooks(t *testing.T) {
	p := &presenceLog{}
	e := start(t, Config{Presence: p})
	refused := e.dial()
	refused.init("expired.x.sig")
	refused.read() // the close that follows the refusal
	c := e.dial()
	c.init(testToken("alice", e.clock.Now().Add(time.Hour)))
	c.send(Header{Method: "update", ID: "TMu", Token: testToken("alice", e.clock.Now().Add(2*time.Hour))}, "")
	if r := c.next(); r.Header.Status == nil || r.Header.Status.Code != 200 {
		t.Fatalf("update reply %+v", r.Header)
	}
	c.send(Header{Method: "close", ID: "TMc"}, "")
	c.read() // the server's close
	waitFor(t, func() bool { return e.srv.Connections() == 0 })
	if got, want := p.get(), []string{"connected alice", "disconnected alice"}; !slices.Equal(got, want) {
		t.Errorf("presence calls %v, want %v", got, want)
	}
}
