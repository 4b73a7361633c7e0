package twilsock

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/coder/websocket"

	parley "github.com/parley-dev/parley"
)

var statusOK = &Status{Code: 200, Status: "OK"}

// handle dispatches one frame from the client. init and update run here,
// in order; upstream requests run beside the reader, bounded.
func (c *conn) handle(f Frame) {
	switch f.Header.Method {
	case "init":
		c.init(f.Header)
	case "update":
		c.update(f.Header)
	case "message":
		c.message(f)
	case "close":
		// The client closes the socket itself after sending close; close
		// our side once every queued frame is out.
		c.send(item{closeCode: websocket.StatusNormalClosure})
	case "reply", "telemetry.v1":
		// Acks of our notifications, and telemetry we never confirmed:
		// nothing to answer (reference §1.7).
	case "put_notification_ctx", "delete_notification_ctx":
		c.reply(f.Header.ID, statusOK)
	default:
		c.reply(f.Header.ID, &Status{Code: 400, Status: "BAD_REQUEST", Description: "unknown method " + f.Header.Method})
	}
}

// reply answers a request with a status and no payload.
func (c *conn) reply(id string, st *Status) {
	if b, err := Encode(Header{Method: "reply", ID: id, Status: st}, nil); err == nil {
		c.send(item{frame: b})
	}
}

// deny answers a request with an authentication failure and closes the
// connection after it: 401 is terminal for the SDK (state "denied").
func (c *conn) deny(id string, st *Status) {
	if b, err := Encode(Header{Method: "reply", ID: id, Status: st}, nil); err == nil {
		c.send(item{frame: b, closeCode: websocket.StatusNormalClosure})
	}
}

// init starts the session: the token is verified, the caller's User made
// ready, and the reply carries a fresh continuation token.
func (c *conn) init(h Header) {
	c.mu.Lock()
	started := c.caller != nil
	c.mu.Unlock()
	if started {
		c.reply(h.ID, &Status{Code: 400, Status: "BAD_REQUEST", Description: "the session is already initialized"})
		return
	}
	caller, st := c.verify(h.Token)
	if st != nil {
		if st.Code == http.StatusUnauthorized {
			c.deny(h.ID, st)
		} else {
			c.reply(h.ID, st)
		}
		return
	}
	registered := map[string]bool{}
	for _, r := range h.Registrations {
		for _, t := range r.MessageTypes {
			registered[t] = true
		}
	}
	c.mu.Lock()
	c.caller, c.expires, c.registered = caller, tokenExpiry(h.Token), registered
	c.mu.Unlock()
	token := continuationToken()
	b, err := Encode(Header{Method: "reply", ID: h.ID, Status: statusOK, ContinuationToken: &token,
		Capabilities: []string{"client_update"}}, nil)
	if err == nil {
		c.send(item{frame: b})
	}
	if p := c.s.cfg.Presence; p != nil {
		p.Connected(c.ctx, caller)
	}
}

// update replaces the session's token. The new token must name the same
// identity, service and account: anything else is refused with 401
// (reference §4.10).
func (c *conn) update(h Header) {
	c.mu.Lock()
	current := c.caller
	c.mu.Unlock()
	if current == nil {
		c.deny(h.ID, unauthorized(parley.Errorf(parley.CodeTokenInvalid, "Invalid Access Token: update before init")))
		return
	}
	caller, st := c.verify(h.Token)
	if st == nil && (caller.Identity != current.Identity || caller.ServiceSID != current.ServiceSID ||
		caller.Account.SID != current.Account.SID) {
		st = unauthorized(parley.Errorf(parley.CodeTokenInvalid, "Invalid Access Token: the identity differs from the session's"))
	}
	if st != nil {
		if st.Code == http.StatusUnauthorized {
			c.deny(h.ID, st)
		} else {
			c.reply(h.ID, st)
		}
		return
	}
	caller.UserSID = current.UserSID
	c.mu.Lock()
	c.caller, c.expires, c.warned = caller, tokenExpiry(h.Token), false
	c.mu.Unlock()
	c.reply(h.ID, statusOK)
}

// verify checks a token and prepares its session, returning the status to
// refuse it with on failure.
func (c *conn) verify(token string) (*parley.Caller, *Status) {
	p, err := c.s.cfg.Verifier.VerifyTokenAt(c.ctx, token, c.s.cfg.Now())
	caller := &parley.Caller{Principal: p, Surface: parley.SurfaceClient, Source: parley.SourceSDK}
	if err == nil {
		err = c.s.cfg.Sessions.StartSession(c.ctx, caller)
	}
	if err == nil {
		return caller, nil
	}
	var pe *parley.Error
	if errors.As(err, &pe) && pe.Code/100 >= 200 && pe.Code/100 <= 201 {
		return nil, unauthorized(pe)
	}
	c.s.log.Error("twilsock: session start failed", "err", err)
	// 500 makes the SDK retry (reference §1.4).
	return nil, &Status{Code: 500, Status: "INTERNAL_SERVER_ERROR", Description: "Internal Server Error"}
}

// unauthorized is the reply status of a refused token: the SDK turns 401
// into the denied state and initFailed with errorCode (20104 also emits
// tokenExpired).
func unauthorized(pe *parley.Error) *Status {
	return &Status{Code: http.StatusUnauthorized, Status: "UNAUTHORIZED", ErrorCode: pe.Code, Description: pe.Message}
}

// tokenExpiry reads the exp claim of a token the verifier has accepted, so
// the session can warn before it and close at it. A token without one
// never expires the session.
func tokenExpiry(token string) time.Time {
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return time.Time{}
	}
	raw, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		return time.Time{}
	}
	var claims struct {
		Exp float64 `json:"exp"`
	}
	if json.Unmarshal(raw, &claims) != nil || claims.Exp <= 0 {
		return time.Time{}
	}
	return time.Unix(int64(claims.Exp), 0)
}

// continuationToken is handed out at init. The SDK sends it back on
// reconnect; sessions are not resumed from it (yet), so it is opaque and
// random.
func continuationToken() string {
	var b [18]byte
	rand.Read(b[:])
	return base64.RawURLEncoding.EncodeToString(b[:])
}
