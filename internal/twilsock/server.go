package twilsock

import (
	"context"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/coder/websocket"

	parley "github.com/parley-dev/parley"
)

// Verifier checks an access token and returns who it acts as (core.App
// verifies against the account's API keys). A refusal is a *parley.Error
// carrying Twilio's access-token code (20101…), which init and update
// replies pass to the SDK; any other error is answered as a server failure
// the SDK retries.
type Verifier interface {
	// VerifyTokenAt judges the token's expiry at now, the session clock.
	VerifyTokenAt(ctx context.Context, token string, now time.Time) (*parley.Principal, error)
}

// Sessions prepares a verified caller for a session: the client SDK expects
// its User to exist once it has logged in, so this creates it when missing
// and fills Caller.UserSID.
type Sessions interface {
	StartSession(ctx context.Context, c *parley.Caller) error
}

// Presence learns when an identity's sessions start and end (reachability).
// Connected runs once a session's init has succeeded, Disconnected once
// that connection has ended; both on the connection's reader, in order.
type Presence interface {
	Connected(ctx context.Context, c *parley.Caller)
	Disconnected(c *parley.Caller)
}

// Config is what a Server needs. Zero durations take the defaults.
type Config struct {
	Verifier Verifier
	Sessions Sessions
	// Presence, when set, hears of sessions starting and ending.
	Presence Presence
	// Handler answers the upstream HTTP requests that "message" frames
	// carry; the request context holds the session's parley.Caller.
	Handler http.Handler
	Logger  *slog.Logger
	// PingInterval is how often each connection is pinged (default 30s);
	// the client sends no heartbeat of its own, so pings find dead peers.
	PingInterval time.Duration
	// Tick is the period of the one schedule that runs pings and token
	// expiry for every connection (default 1s).
	Tick time.Duration
	// ExpiryWarning is how long before its token expires a connection is
	// sent client_update token_about_to_expire (default
	// DefaultExpiryWarning).
	ExpiryWarning time.Duration
	// QueueSize bounds the frames waiting for a connection's writer
	// (default 256); a connection whose notifications overflow it is closed
	// with 308 so the SDK reconnects.
	QueueSize int
	// WriteTimeout bounds one frame write and the wait for a ping's pong
	// (default 10s); a peer slower than that is treated as gone.
	WriteTimeout time.Duration
	// Now reads the injected clock (default: the wall clock). Token
	// expiry, its warning and the verification of init and update tokens
	// follow it, so moving a virtual clock expires sessions.
	Now func() time.Time
	// Observer, when set, hears of connections closed as slow consumers.
	Observer Observer
}

// Observer hears what operators count (the server's metrics).
type Observer interface {
	// SlowConsumer is called once per connection closed because its
	// notifications overflowed its write queue.
	SlowConsumer()
}

// DefaultExpiryWarning is the lead time of token_about_to_expire. Twilio
// does not publish its own; three minutes leaves an application time to
// fetch a new token from its server even on a slow network, and a token of
// the helper libraries' default hour is warned at 57 minutes.
const DefaultExpiryWarning = 3 * time.Minute

// Server accepts twilsock WebSocket connections and runs their sessions.
type Server struct {
	cfg Config
	log *slog.Logger

	mu       sync.Mutex
	conns    map[*conn]struct{}
	closed   bool
	stopTick chan struct{} // non-nil while the shared schedule runs
	done     sync.WaitGroup
}

// New returns a Server. It starts no goroutine until the first connection.
func New(cfg Config) *Server {
	if cfg.PingInterval <= 0 {
		cfg.PingInterval = 30 * time.Second
	}
	if cfg.Tick <= 0 {
		cfg.Tick = time.Second
	}
	if cfg.ExpiryWarning <= 0 {
		cfg.ExpiryWarning = DefaultExpiryWarning
	}
	if cfg.QueueSize <= 0 {
		cfg.QueueSize = 256
	}
	if cfg.WriteTimeout <= 0 {
		cfg.WriteTimeout = 10 * time.Second
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	log := cfg.Logger
	if log == nil {
		log = slog.Default()
	}
	return &Server{cfg: cfg, log: log, conns: map[*conn]struct{}{}}
}

// ServeHTTP upgrades the request to a WebSocket and serves the session
// until either side closes it. The SDK sends no subprotocol, no query and
// no credentials: the token arrives in the first frame.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	ws, err := websocket.Accept(w, r, &websocket.AcceptOptions{
		// Browsers connect from the application's own origin; the access
		// token, not the origin, authenticates the session.
		InsecureSkipVerify: true,
	})
	if err != nil {
		return // Accept has answered the client
	}
	ws.SetReadLimit(maxMessage)
	c := newConn(s, ws, r)
	if !s.add(c) {
		ws.Close(websocket.StatusGoingAway, "server shutting down")
		return
	}
	defer s.remove(c)
	c.serve()
}

// Close closes every connection (with close 308, so SDKs reconnect to
// another node or after the restart) and stops the shared schedule.
func (s *Server) Close() {
	s.mu.Lock()
	s.closed = true
	conns := make([]*conn, 0, len(s.conns))
	for c := range s.conns {
		conns = append(conns, c)
	}
	s.mu.Unlock()
	for _, c := range conns {
		c.offload("server shutting down")
	}
	done := make(chan struct{})
	go func() {
		s.done.Wait()
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(closeGrace):
		// Peers that neither take the close frame nor answer the close
		// handshake are cut off.
		for _, c := range conns {
			c.ws.CloseNow()
		}
		<-done
	}
}

// closeGrace is how long Close lets connections end with a close
// handshake before cutting them off.
const closeGrace = 3 * time.Second

// add registers c, starting the shared schedule with the first connection.
func (s *Server) add(c *conn) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return false
	}
	s.conns[c] = struct{}{}
	s.done.Add(1)
	if s.stopTick == nil {
		s.stopTick = make(chan struct{})
		go s.schedule(s.stopTick)
	}
	return true
}

// remove forgets c, stopping the schedule with the last connection.
func (s *Server) remove(c *conn) {
	s.mu.Lock()
	delete(s.conns, c)
	if len(s.conns) == 0 && s.stopTick != nil {
		close(s.stopTick)
		s.stopTick = nil
	}
	s.mu.Unlock()
	s.done.Done()
}

// schedule is the one timer of every connection: each tick it asks the
// connections whose ping is due to ping, and warns or closes those whose
// token is about to expire or has expired. A per-connection timer would
// cost a goroutine or a runtime timer for every idle connection.
func (s *Server) schedule(stop chan struct{}) {
	t := time.NewTicker(s.cfg.Tick)
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case <-t.C:
		}
		now := s.cfg.Now()
		s.mu.Lock()
		for c := range s.conns {
			c.tick(now)
		}
		s.mu.Unlock()
	}
}

// Connections is the number of open connections.
func (s *Server) Connections() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.conns)
}
