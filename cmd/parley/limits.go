package main

import (
	"fmt"
	"time"

	"github.com/parley-dev/parley/internal/edge"
	"github.com/parley-dev/parley/internal/ratelimit"
	"github.com/parley-dev/parley/internal/server"
)

// limitFlags are the serve flags of the HTTP edge (timeouts, connection
// cap) and the rate limits; docs/operations.md lists them.
type limitFlags struct {
	readHeader, read, write, idle time.Duration
	maxConns, rate, burst         int
	twilio                        bool
}

// register adds the flags, typed, with their PARLEY_* twins.
func (l *limitFlags) register(e *envFlags) {
	e.Duration(&l.readHeader, "http-read-header-timeout", "PARLEY_HTTP_READ_HEADER_TIMEOUT", edge.DefaultReadHeaderTimeout, "longest wait for a request's headers (0: no limit)")
	e.Duration(&l.read, "http-read-timeout", "PARLEY_HTTP_READ_TIMEOUT", edge.DefaultReadTimeout, "longest time to read a whole request, body included (0: no limit)")
	e.Duration(&l.write, "http-write-timeout", "PARLEY_HTTP_WRITE_TIMEOUT", edge.DefaultWriteTimeout, "longest time from a request's headers to the end of its response (0: no limit)")
	e.Duration(&l.idle, "http-idle-timeout", "PARLEY_HTTP_IDLE_TIMEOUT", edge.DefaultIdleTimeout, "close a keep-alive connection idle this long (0: never)")
	e.Int(&l.maxConns, "http-max-conns", "PARLEY_HTTP_MAX_CONNS", edge.DefaultMaxConns, "most open client connections; more wait to be accepted (0: no limit)")
	e.Int(&l.rate, "rate-limit", "PARLEY_RATE_LIMIT", ratelimit.DefaultPerSecond, "requests per second per account, beyond which Parley answers 429 (0: no limit)")
	e.Int(&l.burst, "rate-burst", "PARLEY_RATE_BURST", ratelimit.DefaultBurst, "requests an account may send at once above --rate-limit")
	e.Bool(&l.twilio, "twilio-limits", "PARLEY_TWILIO_LIMITS", false, "enforce Twilio's documented limits of 30 writes per second per conversation and per service")
}

// apply checks the flags and puts them into cfg. A limit of 0 on the
// command line means "no limit", which edge.Config spells as a negative
// value.
func (l *limitFlags) apply(cfg *server.Config) error {
	durations := []struct {
		name   string
		value  time.Duration
		target *time.Duration
	}{
		{"http-read-header-timeout", l.readHeader, &cfg.HTTP.ReadHeaderTimeout},
		{"http-read-timeout", l.read, &cfg.HTTP.ReadTimeout},
		{"http-write-timeout", l.write, &cfg.HTTP.WriteTimeout},
		{"http-idle-timeout", l.idle, &cfg.HTTP.IdleTimeout},
	}
	for _, f := range durations {
		if f.value < 0 {
			return fmt.Errorf("--%s: want a duration of 0 or more, got %s", f.name, f.value)
		}
		*f.target = f.value
		if f.value == 0 {
			*f.target = -1
		}
	}
	if l.maxConns < 0 {
		return fmt.Errorf("--http-max-conns: want 0 or more, got %d", l.maxConns)
	}
	cfg.HTTP.MaxConns = l.maxConns
	if l.maxConns == 0 {
		cfg.HTTP.MaxConns = -1
	}
	if l.rate < 0 {
		return fmt.Errorf("--rate-limit: want requests per second (0 or more), got %d", l.rate)
	}
	if l.burst < 1 {
		return fmt.Errorf("--rate-burst: want a positive number, got %d", l.burst)
	}
	cfg.RateLimit.PerSecond, cfg.RateLimit.Burst, cfg.RateLimit.Twilio = float64(l.rate), l.burst, l.twilio
	return nil
}
