package twilsock

import (
	"context"
	"crypto/rand"
	"crypto/tls"
	"encoding/hex"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/coder/websocket"

	parley "github.com/parley-dev/parley"
)

const (
	// maxMessage bounds one incoming WebSocket message (a frame): message
	// bodies and attributes are tens of KiB at most.
	maxMessage = 1 << 20
	// requestTimeout is the SDK's own wait for any reply
	// (packetinterface.js REQUEST_TIMEOUT); answering later is pointless.
	requestTimeout = 30 * time.Second
	// initTimeout is how long a connection may stay without a session.
	initTimeout = 30 * time.Second
	// maxInflight bounds the upstream requests one connection runs at
	// once; the reader waits (so the client is slowed) beyond it.
	maxInflight = 8
	// reconnectMinMS is the back-off a 308 close asks of the SDK.
	reconnectMinMS = 1000
)

// item is one entry of a connection's write queue: a frame to write, and
// whether to close the socket after it (closeCode set).
type item struct {
	frame     []byte
	closeCode websocket.StatusCode
}

// conn is one client connection: this reader goroutine (serve), one writer
// goroutine draining the bounded queue, and the session state.
type conn struct {
	s      *Server
	ws     *websocket.Conn
	ctx    context.Context
	cancel context.CancelFunc
	// host, proto and tls describe the upgrade request, so in-process
	// requests render the same absolute URLs a plain HTTP request would.
	host, proto string
	tls         *tls.ConnectionState
	out         chan item
	pingDue     chan struct{}
	kick        chan string
	inflight    chan struct{}
	requests    sync.WaitGroup
	// slow is set once the connection overflowed its queue.
	slow atomic.Bool

	mu         sync.Mutex // guards the fields below
	opened     time.Time
	caller     *parley.Caller
	expires    time.Time
	warned     bool
	registered map[string]bool
	lastPing   time.Time
	// onClose run when the connection ended (live subscriptions leave).
	onClose []func()
	ended   bool
}

func newConn(s *Server, ws *websocket.Conn, r *http.Request) *conn {
	ctx, cancel := context.WithCancel(context.WithoutCancel(r.Context()))
	now := s.cfg.Now()
	return &conn{s: s, ws: ws, ctx: ctx, cancel: cancel, host: r.Host, proto: r.Header.Get("X-Forwarded-Proto"), tls: r.TLS,
		out: make(chan item, s.cfg.QueueSize), pingDue: make(chan struct{}, 1), kick: make(chan string, 1),
		inflight: make(chan struct{}, maxInflight), opened: now, lastPing: now}
}

// serve reads frames until the connection ends, then waits for the writer
// and the requests in flight.
func (c *conn) serve() {
	wrote := make(chan struct{})
	go func() {
		defer close(wrote)
		c.write()
	}()
	defer func() {
		c.cancel()
		c.requests.Wait()
		<-wrote
		c.ws.CloseNow()
		c.end()
	}()
	for {
		typ, b, err := c.ws.Read(c.ctx)
		if err != nil {
			return
		}
		if typ != websocket.MessageBinary {
			continue // the SDK drops text frames too (reference §1.1)
		}
		f, err := Decode(b)
		if err != nil {
			c.s.log.Debug("twilsock: dropped a malformed frame", "err", err)
			continue
		}
		c.handle(f)
	}
}

// write is the connection's only writer: queued frames in order, pings
// when the shared schedule asks, and the 308 close of an offload.
func (c *conn) write() {
	for {
		select {
		case <-c.ctx.Done():
			return
		case it := <-c.out:
			if it.frame != nil && c.writeFrame(it.frame, c.s.cfg.WriteTimeout) != nil {
				c.cancel()
				return
			}
			if it.closeCode != 0 {
				c.ws.Close(it.closeCode, "")
				c.cancel()
				return
			}
		case <-c.pingDue:
			ctx, cancel := context.WithTimeout(c.ctx, c.s.cfg.WriteTimeout)
			err := c.ws.Ping(ctx)
			cancel()
			if err != nil {
				c.cancel()
				return
			}
		case reason := <-c.kick:
			c.s.log.Debug("twilsock: closing with 308", "reason", reason)
			if b, err := closeFrame(308, "OFFLOAD", reason); err == nil {
				c.writeFrame(b, time.Second)
			}
			c.ws.Close(websocket.StatusNormalClosure, "")
			c.cancel()
			return
		}
	}
}

func (c *conn) writeFrame(b []byte, timeout time.Duration) error {
	ctx, cancel := context.WithTimeout(c.ctx, timeout)
	defer cancel()
	return c.ws.Write(ctx, websocket.MessageBinary, b)
}

// send queues a frame the client is waiting for (a reply), waiting for
// room: the requests that produce replies are bounded by maxInflight.
func (c *conn) send(it item) {
	select {
	case c.out <- it:
	case <-c.ctx.Done():
	}
}

// push queues a frame the server starts (a notification) without ever
// waiting: a connection too slow to take it is closed with 308, so the SDK
// reconnects and catches up, and no other connection waits for it.
func (c *conn) push(b []byte) {
	select {
	case c.out <- item{frame: b}:
	default:
		if c.slow.CompareAndSwap(false, true) && c.s.cfg.Observer != nil {
			c.s.cfg.Observer.SlowConsumer()
		}
		c.offload("slow consumer: write queue full")
	}
}

// offload asks the writer to close the connection with twilsock close 308.
func (c *conn) offload(reason string) {
	select {
	case c.kick <- reason:
	default: // already asked
	}
}

// Notify pushes a notification of messageType if the connection registered
// that type at init.
func (c *conn) Notify(messageType string, payload []byte) {
	c.mu.Lock()
	ok := c.registered[messageType]
	c.mu.Unlock()
	if !ok {
		return
	}
	b, err := Encode(Header{Method: "notification", ID: newID(), MessageType: messageType, PayloadType: "application/json"}, payload)
	if err == nil {
		c.push(b)
	}
}

// tick runs on the shared schedule with the server's lock held: it must
// never block.
func (c *conn) tick(now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.caller == nil && now.Sub(c.opened) >= initTimeout {
		c.offload("no init")
		return
	}
	if now.Sub(c.lastPing) >= c.s.cfg.PingInterval {
		c.lastPing = now
		select {
		case c.pingDue <- struct{}{}:
		default:
		}
	}
	if c.expires.IsZero() {
		return
	}
	switch {
	case !now.Before(c.expires):
		// The SDK emits tokenExpired and does not reconnect (reference §1.8).
		c.expires = time.Time{}
		if b, err := closeFrame(410, "TOKEN_EXPIRED", ""); err == nil {
			select {
			case c.out <- item{frame: b, closeCode: websocket.StatusNormalClosure}:
			default:
				c.offload("token expired")
			}
		}
	case !c.warned && !now.Before(c.expires.Add(-c.s.cfg.ExpiryWarning)):
		c.warned = true
		if b, err := Encode(Header{Method: "client_update", ID: newID(), ClientUpdateType: "token_about_to_expire"}, nil); err == nil {
			c.push(b)
		}
	}
}

// closeFrame is a server close with a status and, for 308, the back-off
// the SDK honours before reconnecting.
func closeFrame(code int, status, reason string) ([]byte, error) {
	var payload []byte
	if code == 308 {
		payload = []byte(`{"backoff_policy":{"reconnect_min_ms":` + strconv.Itoa(reconnectMinMS) + `}}`)
	}
	return Encode(Header{Method: "close", ID: newID(), PayloadType: "application/json",
		Status: &Status{Code: code, Status: status, Description: reason}}, payload)
}

// newID is an id for a frame the server starts.
func newID() string {
	var b [16]byte
	rand.Read(b[:])
	return "TM" + hex.EncodeToString(b[:])
}
