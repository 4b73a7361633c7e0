package sdktest

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/twilio/twilio-go/client/jwt"

	"github.com/parley-dev/parley/internal/twilsock"
)

// sock is a raw twilsock client, for what the SDK does not show: exact
// replies, status codes and tokens.
type sock struct {
	t    testing.TB
	ws   *websocket.Conn
	seq  int
	sent []twilsock.Frame // notifications read while waiting for replies
}

// mint mints an access token with the twilio-go helper library.
func (e *sdkEnv) mint(identity string) (string, error) {
	tok := jwt.CreateAccessToken(jwt.AccessTokenParams{AccountSid: e.AccountSID, SigningKeySid: e.keySID,
		Secret: e.secret, Identity: identity})
	tok.AddGrant(&jwt.ChatGrant{})
	return tok.ToJwt()
}

// dial connects and logs in as identity.
func (e *sdkEnv) dial(t *testing.T, identity string) *sock {
	t.Helper()
	s, err := e.tryDial(identity)
	if err != nil {
		t.Fatal(err)
	}
	s.t = t
	return s
}

// tryDial is dial for any goroutine: it reports failure instead.
func (e *sdkEnv) tryDial(identity string) (*sock, error) {
	tok, err := e.mint(identity)
	if err != nil {
		return nil, err
	}
	return e.tryDialToken(identity, tok)
}

// tryDialToken connects and logs in with tok, identity's token.
func (e *sdkEnv) tryDialToken(identity, tok string) (*sock, error) {
	return e.dialWith(identity, tok, []string{"twilio.sync.event"}, nil)
}

// dialWith is tryDialToken registering messageTypes, with the WebSocket
// library's dial options.
func (e *sdkEnv) dialWith(identity, tok string, messageTypes []string, opts *websocket.DialOptions) (*sock, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	ws, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(e.URL, "http")+"/v3/wsconnect", opts)
	if err != nil {
		return nil, err
	}
	ws.SetReadLimit(-1)
	e.T.Cleanup(func() { ws.CloseNow() })
	b, _ := twilsock.Encode(twilsock.Header{Method: "init", ID: "TMinit", Token: tok, Registrations: []twilsock.Registration{
		{Product: "ip_messaging", Type: "ers", MessageTypes: messageTypes}}}, nil)
	if err := ws.Write(ctx, websocket.MessageBinary, b); err != nil {
		return nil, err
	}
	_, b, err = ws.Read(ctx)
	if err != nil {
		return nil, err
	}
	r, err := twilsock.Decode(b)
	if err != nil {
		return nil, err
	}
	if r.Header.ID != "TMinit" || r.Header.Status == nil || r.Header.Status.Code != 200 {
		return nil, fmt.Errorf("init as %s: %+v", identity, r.Header.Status)
	}
	return &sock{ws: ws}, nil
}

// request sends a frame and returns the reply with its id.
func (s *sock) request(h twilsock.Header, payload string) twilsock.Frame {
	s.t.Helper()
	s.seq++
	h.ID = fmt.Sprint("TM", s.seq)
	b, err := twilsock.Encode(h, []byte(payload))
	if err != nil {
		s.t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := s.ws.Write(ctx, websocket.MessageBinary, b); err != nil {
		s.t.Fatal(err)
	}
	for {
		f := s.read(ctx)
		if f.Header.Method == "reply" && f.Header.ID == h.ID {
			return f
		}
		s.sent = append(s.sent, f)
	}
}

func (s *sock) read(ctx context.Context) twilsock.Frame {
	s.t.Helper()
	_, b, err := s.ws.Read(ctx)
	if err != nil {
		s.t.Fatal(err)
	}
	f, err := twilsock.Decode(b)
	if err != nil {
		s.t.Fatal(err)
	}
	return f
}

// notification returns the next notification, waiting for it if needed.
func (s *sock) notification() twilsock.Frame {
	s.t.Helper()
	if len(s.sent) > 0 {
		f := s.sent[0]
		s.sent = s.sent[1:]
		return f
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return s.read(ctx)
}

// call makes an upstream HTTP request over the socket and decodes the
// JSON body into out (when not nil), returning the HTTP status.
func (s *sock) call(method, path, body string, out any) int {
	s.t.Helper()
	p, q, _ := strings.Cut(path, "?")
	params := map[string]json.RawMessage{}
	for _, kv := range strings.Split(q, "&") {
		if k, v, ok := strings.Cut(kv, "="); ok {
			params[k], _ = json.Marshal(v)
		}
	}
	r := s.request(twilsock.Header{Method: "message", ActiveGrant: "ip_messaging", PayloadType: "application/json",
		HTTPRequest: &twilsock.HTTPRequest{Host: "cds.us1.twilio.com", Path: p, Method: method, Params: params,
			Headers: map[string]string{"Content-Type": "application/json"}}}, body)
	if r.Header.Status == nil || r.Header.Status.Code != 200 || r.Header.HTTPStatus == nil {
		s.t.Fatalf("%s %s: transport status %+v, http_status %+v", method, path, r.Header.Status, r.Header.HTTPStatus)
	}
	if out != nil {
		if err := json.Unmarshal(r.Payload, out); err != nil {
			s.t.Fatalf("%s %s: %v in %s", method, path, err, r.Payload)
		}
	}
	return r.Header.HTTPStatus.Code
}
