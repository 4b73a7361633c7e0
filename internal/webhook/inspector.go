package webhook

import (
	"context"
	"log/slog"
	"sync"
	"time"

	parley "github.com/parley-dev/parley"
	"github.com/parley-dev/parley/internal/clock"
)

// Delivery is one webhook call as the inspector reports it.
type Delivery = parley.WebhookDelivery

// DeliveryLog keeps inspector records durably: the store, so they survive
// a restart and every node shows the same list.
type DeliveryLog interface {
	SaveWebhookDeliveries(ctx context.Context, ds []parley.WebhookDelivery, keep int) error
	RecentWebhookDeliveries(ctx context.Context, accountSID string, limit int) ([]parley.WebhookDelivery, error)
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

// flushEvery is how often recorded calls are written to the delivery log.
// Batching keeps the inspector off the delivery path: one write per batch,
// not one per call. A crash loses at most this much of the record.
const flushEvery = 200 * time.Millisecond

// maxPending bounds the records waiting for a flush; past it the oldest
// are dropped (the inspector is a debugging aid, not an audit log).
const maxPending = 10000

// Inspector keeps the most recent deliveries of each account, bounded per
// account: in the delivery log when it has one (written in batches by a
// background flusher; Close writes the rest), else in memory.
type Inspector struct {
	mu    sync.Mutex
	limit int
	clock parley.Clock // dates records
	// Without a delivery log:
	byAcc map[string]*ring
	// With one:
	store   DeliveryLog
	log     *slog.Logger
	pending []*Delivery          // oldest first
	byKey   map[string]*Delivery // account + token
	flushMu sync.Mutex           // one flush at a time, so records land in order
	quit    chan struct{}
	done    chan struct{}
}

type ring struct {
	items   []*Delivery // oldest first
	byToken map[string]*Delivery
}

// NewInspector keeps up to limit deliveries per account (1000 when <= 0)
// in memory.
func NewInspector(limit int) *Inspector {
	if limit <= 0 {
		limit = 1000
	}
	return &Inspector{limit: limit, byAcc: map[string]*ring{}, clock: clock.Real{}}
}

// newStoredInspector keeps the records in store, flushing in the
// background until Close.
func newStoredInspector(limit int, store DeliveryLog, log *slog.Logger) *Inspector {
	in := NewInspector(limit)
	in.store, in.log, in.byKey = store, log, map[string]*Delivery{}
	in.quit, in.done = make(chan struct{}), make(chan struct{})
	go in.flushLoop()
	return in
}

func (in *Inspector) record(a attempt) {
	in.mu.Lock()
	defer in.mu.Unlock()
	if in.store != nil {
		key := a.accountSID + "/" + a.token
		d := in.byKey[key]
		if d == nil {
			d = &Delivery{AccountSID: a.accountSID, Kind: a.kind, Event: a.event, URL: a.url, Method: a.method,
				Token: a.token, RequestID: a.requestID}
			in.byKey[key] = d
			in.pending = append(in.pending, d)
			if len(in.pending) > maxPending {
				old := in.pending[0]
				delete(in.byKey, old.AccountSID+"/"+old.Token)
				in.pending = in.pending[1:]
			}
		}
		in.fill(d, a)
		return
	}
	r := in.byAcc[a.accountSID]
	if r == nil {
		r = &ring{byToken: map[string]*Delivery{}}
		in.byAcc[a.accountSID] = r
	}
	d := r.byToken[a.token]
	if d == nil {
		d = &Delivery{AccountSID: a.accountSID, Kind: a.kind, Event: a.event, URL: a.url, Method: a.method,
			Token: a.token, RequestID: a.requestID}
		r.items = append(r.items, d)
		r.byToken[a.token] = d
		if len(r.items) > in.limit {
			delete(r.byToken, r.items[0].Token)
			r.items = r.items[1:]
		}
	}
	in.fill(d, a)
}

// fill sets a record's outcome fields from its latest attempt.
func (in *Inspector) fill(d *Delivery, a attempt) {
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
func (in *Inspector) Recent(ctx context.Context, accountSID string) ([]Delivery, error) {
	if in.store != nil {
		if err := in.flush(ctx); err != nil {
			return nil, err
		}
		return in.store.RecentWebhookDeliveries(ctx, accountSID, in.limit)
	}
	in.mu.Lock()
	defer in.mu.Unlock()
	r := in.byAcc[accountSID]
	if r == nil {
		return []Delivery{}, nil
	}
	out := make([]Delivery, 0, len(r.items))
	for i := len(r.items) - 1; i >= 0; i-- {
		out = append(out, *r.items[i])
	}
	return out, nil
}

func (in *Inspector) flushLoop() {
	defer close(in.done)
	tick := time.NewTicker(flushEvery)
	defer tick.Stop()
	for {
		select {
		case <-in.quit:
			return
		case <-tick.C:
			if err := in.flush(context.Background()); err != nil {
				in.log.Warn("webhook inspector: saving deliveries failed; they are not shown", "err", err)
			}
		}
	}
}

// flush writes the pending records (copies, so senders can go on
// recording) to the delivery log.
func (in *Inspector) flush(ctx context.Context) error {
	in.flushMu.Lock()
	defer in.flushMu.Unlock()
	in.mu.Lock()
	batch := make([]Delivery, len(in.pending))
	for i, d := range in.pending {
		batch[i] = *d
	}
	in.pending, in.byKey = nil, map[string]*Delivery{}
	in.mu.Unlock()
	return in.store.SaveWebhookDeliveries(ctx, batch, in.limit)
}

// Close stops the background flusher and writes what is pending. Call it
// after the senders stopped and before the store closes.
func (in *Inspector) Close(ctx context.Context) error {
	if in.store == nil {
		return nil
	}
	close(in.quit)
	<-in.done
	return in.flush(ctx)
}
