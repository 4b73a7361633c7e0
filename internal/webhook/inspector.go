package webhook

import (
	"sync"
	"time"

	parley "github.com/parley-dev/parley"
	"github.com/parley-dev/parley/internal/clock"
)

// Delivery is one webhook call as the inspector reports it. A post-event
// delivery's retries update the same record (same idempotency token).
type Delivery struct {
	Kind       string    `json:"kind"` // pre or post
	Event      string    `json:"event"`
	URL        string    `json:"url"`
	Method     string    `json:"method"`
	Attempts   int       `json:"attempts"`
	LastStatus *int      `json:"last_status"`
	LatencyMs  *int64    `json:"latency_ms"`
	LastError  *string   `json:"last_error"`
	Token      string    `json:"idempotency_token"`
	Date       time.Time `json:"date"`
}

// Inspector keeps the most recent deliveries of each account in memory
// (bounded; it is a debugging aid, not an audit log, so it restarts empty).
type Inspector struct {
	mu    sync.Mutex
	limit int
	byAcc map[string]*ring
	clock parley.Clock // dates records
}

type ring struct {
	items   []*Delivery // oldest first
	byToken map[string]*Delivery
}

// NewInspector keeps up to limit deliveries per account (1000 when <= 0).
func NewInspector(limit int) *Inspector {
	if limit <= 0 {
		limit = 1000
	}
	return &Inspector{limit: limit, byAcc: map[string]*ring{}, clock: clock.Real{}}
}

func (in *Inspector) record(accountSID, token, kind, event, url, method string, attempts int, resp *response, err error) {
	in.mu.Lock()
	defer in.mu.Unlock()
	r := in.byAcc[accountSID]
	if r == nil {
		r = &ring{byToken: map[string]*Delivery{}}
		in.byAcc[accountSID] = r
	}
	d := r.byToken[token]
	if d == nil {
		d = &Delivery{Kind: kind, Event: event, URL: url, Method: method, Token: token}
		r.items = append(r.items, d)
		r.byToken[token] = d
		if len(r.items) > in.limit {
			delete(r.byToken, r.items[0].Token)
			r.items = r.items[1:]
		}
	}
	d.Attempts, d.Date, d.LastStatus, d.LatencyMs, d.LastError = attempts, in.clock.Now().UTC(), nil, nil, nil
	if resp != nil {
		status, ms := resp.Status, resp.Latency.Milliseconds()
		d.LastStatus, d.LatencyMs = &status, &ms
	}
	if err != nil {
		msg := err.Error()
		d.LastError = &msg
	}
}

// Recent lists an account's deliveries, newest first.
func (in *Inspector) Recent(accountSID string) []Delivery {
	in.mu.Lock()
	defer in.mu.Unlock()
	r := in.byAcc[accountSID]
	if r == nil {
		return []Delivery{}
	}
	out := make([]Delivery, 0, len(r.items))
	for i := len(r.items) - 1; i >= 0; i-- {
		out = append(out, *r.items[i])
	}
	return out
}
