package sdktest

import (
	"testing"
	"time"

	"github.com/parley-dev/parley/internal/apitest"
	"github.com/parley-dev/parley/internal/edge"
	"github.com/parley-dev/parley/internal/server"
)

// TestSessionOutlivesHTTPTimeouts: the HTTP read, write and idle timeouts
// end slow and idle requests, not a client SDK's WebSocket session.
func TestSessionOutlivesHTTPTimeouts(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		short := 200 * time.Millisecond
		env := startServer(t, engine, func(c *server.Config) {
			c.HTTP = edge.Config{ReadHeaderTimeout: short, ReadTimeout: short, WriteTimeout: short, IdleTimeout: short}
		})
		alice := env.dial(t, "alice")
		time.Sleep(5 * short)
		var cfg map[string]any
		if st := alice.call("GET", "/Client/v2/Configuration", "", &cfg); st != 200 {
			t.Fatalf("configuration after the HTTP timeouts passed: %d", st)
		}
	})
}
