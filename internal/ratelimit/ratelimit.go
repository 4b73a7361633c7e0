// Package ratelimit answers requests over an account's rate with Twilio's
// 429 (code 20429) and a Retry-After header. Each account has a token
// bucket; with Twilio limits on, writes also count against Twilio's
// documented per-conversation and per-service actions-per-second limits, so
// an application meets its throttling on a laptop before it meets it in
// production.
package ratelimit

import (
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	parley "github.com/parley-dev/parley"
	"github.com/parley-dev/parley/internal/twilioapi"
)

// Defaults for `parley serve`: far above what one application sends, so
// only a runaway client meets them.
const (
	DefaultPerSecond = 1000
	DefaultBurst     = 2000
)

// Config sets the limits. The zero Config limits nothing.
type Config struct {
	// PerSecond is each account's sustained request rate; 0 turns the
	// account limit off.
	PerSecond float64
	// Burst is how many requests an account may send at once above the
	// rate (at least 1 when PerSecond is set).
	Burst int
	// Twilio enforces Twilio's documented actions-per-second limits.
	Twilio bool
}

// Router finds the route pattern a request matches; *http.ServeMux is one.
type Router interface {
	Handler(r *http.Request) (h http.Handler, pattern string)
}

// Limiter is the rate-limiting middleware. It must run after
// authentication: it counts per authenticated account.
type Limiter struct {
	cfg     Config
	routes  Router
	buckets buckets
	now     func() time.Time
	// accountLimit words the account limit once: every request carries it.
	accountLimit string
}

// New returns a limiter; routes classifies writes for the Twilio limits.
// Time is the wall clock's, never the virtual clock: a stopped clock would
// never refill a bucket.
func New(cfg Config, routes Router) *Limiter {
	return &Limiter{cfg: cfg, routes: routes, now: time.Now,
		accountLimit: "the account's rate limit of " + strconv.FormatFloat(cfg.PerSecond, 'g', -1, 64) + " requests per second"}
}

// limitKey is one bucket a request draws from.
type limitKey struct {
	key         string
	rate, burst float64
	what        string // the limit in words, for the error message
}

// Wrap admits requests within the limits to next.
func (l *Limiter) Wrap(next http.Handler) http.Handler {
	if l.cfg.PerSecond <= 0 && !l.cfg.Twilio {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		keys := l.keys(r)
		if len(keys) > 0 {
			if wait, full := l.buckets.take(l.now(), keys); wait > 0 {
				w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(wait.Seconds()))))
				twilioapi.WriteError(w, r, parley.Errorf(parley.CodeTooManyRequests, "Too Many Requests: %s", full.what))
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

// keys lists the buckets r draws from.
func (l *Limiter) keys(r *http.Request) []limitKey {
	acct := twilioapi.Account(r)
	if acct == nil {
		return nil
	}
	var keys []limitKey
	if l.cfg.PerSecond > 0 {
		keys = append(keys, limitKey{"account " + acct.SID, l.cfg.PerSecond, math.Max(1, float64(l.cfg.Burst)), l.accountLimit})
	}
	if l.cfg.Twilio && l.routes != nil {
		_, pattern := l.routes.Handler(r)
		if _, path, ok := strings.Cut(pattern, " "); ok {
			pattern = path
		}
		if sc, id := twilioScope(r.Method, pattern, r.URL.Path); sc != noScope {
			keys = append(keys, limitKey{acct.SID + " " + sc.String() + " " + id, twilioActionsPerSecond, twilioActionsPerSecond,
				"Twilio's limit of 30 actions per second per " + sc.String() + " (" + id + ")"})
		}
	}
	return keys
}
