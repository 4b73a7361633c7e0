package main

import (
	"fmt"
	"strconv"
	"time"

	"github.com/parley-dev/parley/internal/edge"
	"github.com/parley-dev/parley/internal/ratelimit"
	"github.com/parley-dev/parley/internal/server"
)

// limitFlags are the serve flags of the HTTP edge (timeouts, connection
// cap) and the rate limits; docs/operations.md lists them.
type limitFlags struct {
	readHeader, read, write, idle, maxConns string
	rate, burst, twilio                     string
}

func (l *limitFlags) settings() []setting {
	d := func(v time.Duration) string { return v.String() }
	return []setting{
		{"http-read-header-timeout", "PARLEY_HTTP_READ_HEADER_TIMEOUT", d(edge.DefaultReadHeaderTimeout), "longest wait for a request's headers (0: no limit)", &l.readHeader},
		{"http-read-timeout", "PARLEY_HTTP_READ_TIMEOUT", d(edge.DefaultReadTimeout), "longest time to read a whole request, body included (0: no limit)", &l.read},
		{"http-write-timeout", "PARLEY_HTTP_WRITE_TIMEOUT", d(edge.DefaultWriteTimeout), "longest time from a request's headers to the end of its response (0: no limit)", &l.write},
		{"http-idle-timeout", "PARLEY_HTTP_IDLE_TIMEOUT", d(edge.DefaultIdleTimeout), "close a keep-alive connection idle this long (0: never)", &l.idle},
		{"http-max-conns", "PARLEY_HTTP_MAX_CONNS", strconv.Itoa(edge.DefaultMaxConns), "most open client connections; more wait to be accepted (0: no limit)", &l.maxConns},
		{"rate-limit", "PARLEY_RATE_LIMIT", strconv.Itoa(ratelimit.DefaultPerSecond), "requests per second per account, beyond which Parley answers 429 (0: no limit)", &l.rate},
		{"rate-burst", "PARLEY_RATE_BURST", strconv.Itoa(ratelimit.DefaultBurst), "requests an account may send at once above --rate-limit", &l.burst},
		{"twilio-limits", "PARLEY_TWILIO_LIMITS", "false", "enforce Twilio's documented limits of 30 writes per second per conversation and per service", &l.twilio},
	}
}

// apply parses the flags into cfg. A limit of 0 on the command line means
// "no limit", which edge.Config spells as a negative value.
func (l *limitFlags) apply(cfg *server.Config) error {
	durations := []struct {
		name, value string
		target      *time.Duration
	}{
		{"http-read-header-timeout", l.readHeader, &cfg.HTTP.ReadHeaderTimeout},
		{"http-read-timeout", l.read, &cfg.HTTP.ReadTimeout},
		{"http-write-timeout", l.write, &cfg.HTTP.WriteTimeout},
		{"http-idle-timeout", l.idle, &cfg.HTTP.IdleTimeout},
	}
	for _, f := range durations {
		v, err := time.ParseDuration(f.value)
		if err != nil || v < 0 {
			return fmt.Errorf("--%s: want a duration such as 30s, got %q", f.name, f.value)
		}
		*f.target = v
		if v == 0 {
			*f.target = -1
		}
	}
	n, err := strconv.Atoi(l.maxConns)
	if err != nil || n < 0 {
		return fmt.Errorf("--http-max-conns: want a number, got %q", l.maxConns)
	}
	cfg.HTTP.MaxConns = n
	if n == 0 {
		cfg.HTTP.MaxConns = -1
	}
	if cfg.RateLimit.PerSecond, err = strconv.ParseFloat(l.rate, 64); err != nil || cfg.RateLimit.PerSecond < 0 {
		return fmt.Errorf("--rate-limit: want requests per second, got %q", l.rate)
	}
	if cfg.RateLimit.Burst, err = strconv.Atoi(l.burst); err != nil || cfg.RateLimit.Burst < 1 {
		return fmt.Errorf("--rate-burst: want a positive number, got %q", l.burst)
	}
	if cfg.RateLimit.Twilio, err = strconv.ParseBool(l.twilio); err != nil {
		return fmt.Errorf("--twilio-limits: want true or false, got %q", l.twilio)
	}
	return nil
}
