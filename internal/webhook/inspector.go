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
	Kind       string  `json:"kind"` // pre or post
	Event      string  `json:"event"`
	URL        string  `json:"url"`
	Method     string  `json:"method"`
	Attempts   int     `json:"attempts"`
	LastStatus *int    `json:"last_status"`
	LatencyMs  *int64  `json:"latency_ms"`
	LastError  *string `json:"last_error"`
	Token      string  `json:"idempotency_token"`
	// RequestID is the Twilio-Request-Id of the request that caused the
	// call, "" for one no request caused (a timer's state change).
	RequestID string    `json:"request_id"`
	Date      time.Time `json:"date"`
}

// attempt is one call's outcome as the senders report it.
type attempt struct {
	accountSID, token, kind, event, url, method, requestID string
	number                                                 int // 1 for the first attempt
	resp                                                   *response
	err                                                    error
}

// outcome classifies an attempt for metrics: ok (2xx), status (another
// answer) or error (no answer: refused, timed out, denied).
func (a attempt) outcome() string {
	switch {
	case a.resp == nil:
		return "error"
	case a.resp.Status >= 200 && a.resp.Status <= 299:
		return "ok"
	}
	return "status"
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

func (in *Inspector) record(a attempt) {
	in.mu.Lock()
	defer in.mu.Unlock()
	r := in.byAcc[a.accountSID]
	if r == nil {
		r = &ring{byToken: map[string]*Delivery{}}
		in.byAcc[a.accountSID] = r
	}
	d := r.byToken[a.token]
	if d == nil {
		d = &Delivery{Kind: a.kind, Event: a.event, URL: a.url, Method: a.method, Token: a.token, RequestID: a.requestID}
		r.items = append(r.items, d)
		r.byToken[a.token] = d
		if len(r.items) > in.limit {
			delete(r.byToken, r.items[0].Token)
			r.items = r.items[1:]
		}
	}
	d.Attempts, d.Date, d.LastStatus, d.LatencyMs, d.LastError = a.number, in.clock.Now().UTC(), nil, nil, nil
	if a.resp != nil {
		status, ms := a.resp.Status, a.resp.Latency.Milliseconds()
		d.LastStatus, d.LatencyMs = &status, &ms
	}
	if a.err != nil {
		msg := a.err.Error()
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
