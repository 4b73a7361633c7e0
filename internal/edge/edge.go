// Package edge is Parley's HTTP edge: the server's timeouts, the cap on open
// connections, and the guards that keep every answer Parley controls a
// Twilio error body — even those net/http writes before any handler runs.
package edge

import (
	"net"
	"net/http"
	"time"
)

// Defaults: generous enough for any client that is sending, strict enough
// that a connection that stalls or idles is closed.
const (
	DefaultReadHeaderTimeout = 10 * time.Second
	DefaultReadTimeout       = 30 * time.Second
	DefaultWriteTimeout      = 60 * time.Second
	DefaultIdleTimeout       = 120 * time.Second
	DefaultMaxConns          = 10000
)

// Config holds the edge's limits. A zero field takes its default; a negative
// one turns that limit off.
type Config struct {
	// ReadHeaderTimeout bounds the wait for a request's headers.
	ReadHeaderTimeout time.Duration
	// ReadTimeout bounds reading a whole request, body included, so a
	// client that trickles its body cannot hold a connection.
	ReadTimeout time.Duration
	// WriteTimeout bounds the time from the end of the request headers to
	// the end of the response. It must exceed the longest handler (a
	// pre-event webhook may take 5 s).
	WriteTimeout time.Duration
	// IdleTimeout closes a keep-alive connection that sends no next request.
	IdleTimeout time.Duration
	// MaxConns caps open connections, each client SDK's WebSocket included;
	// beyond it new connections wait in the kernel's accept queue until one
	// closes.
	MaxConns int
}

// WithDefaults returns c with every zero field set to its default.
func (c Config) WithDefaults() Config {
	def := func(d *time.Duration, v time.Duration) {
		if *d == 0 {
			*d = v
		}
	}
	def(&c.ReadHeaderTimeout, DefaultReadHeaderTimeout)
	def(&c.ReadTimeout, DefaultReadTimeout)
	def(&c.WriteTimeout, DefaultWriteTimeout)
	def(&c.IdleTimeout, DefaultIdleTimeout)
	if c.MaxConns == 0 {
		c.MaxConns = DefaultMaxConns
	}
	return c
}

// Apply sets c's timeouts on srv (net/http reads 0 as "no limit", hence
// negatives become 0).
func (c Config) Apply(srv *http.Server) {
	c = c.WithDefaults()
	off := func(d time.Duration) time.Duration { return max(d, 0) }
	srv.ReadHeaderTimeout = off(c.ReadHeaderTimeout)
	srv.ReadTimeout = off(c.ReadTimeout)
	srv.WriteTimeout = off(c.WriteTimeout)
	// net/http falls back to ReadTimeout when IdleTimeout is 0; a negative
	// setting means "never", so use a very long one instead.
	srv.IdleTimeout = c.IdleTimeout
	if c.IdleTimeout < 0 {
		srv.IdleTimeout = 100 * 365 * 24 * time.Hour
	}
}

// Listen wraps ln with the connection cap and the rewriting of net/http's
// own plain-text error answers into Twilio error bodies.
func (c Config) Listen(ln net.Listener) net.Listener {
	c = c.WithDefaults()
	ln = twilioErrorsListener{ln}
	if c.MaxConns > 0 {
		ln = limitListener(ln, c.MaxConns)
	}
	return ln
}
