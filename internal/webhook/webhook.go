package webhook

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"time"

	parley "github.com/parley-dev/parley"
	"github.com/parley-dev/parley/internal/clock"
	"github.com/parley-dev/parley/internal/jobs"
)

// JobKind is the job kind of a post-event delivery.
const JobKind = "webhook"

// Config tunes Webhooks.
type Config struct {
	// DenyPrivate refuses to call loopback, private and link-local
	// addresses (default allow: local development targets localhost).
	DenyPrivate bool
	// Retained bounds the deliveries the inspector keeps per account [1000].
	Retained int
	// PreTimeout bounds the wait for a pre-event answer [Timeout, Twilio's
	// 5 seconds]; tests shorten it.
	PreTimeout time.Duration
	Logger     *slog.Logger
	// Clock stamps pre-event parameters and inspector records [wall clock].
	Clock parley.Clock
	// Observer, when set, counts every call's outcome (metrics).
	Observer Observer
	// Deliveries, when set, keeps the inspector's records (the store);
	// without it they are kept in memory and a restart forgets them.
	Deliveries DeliveryLog
}

// Observer counts webhook calls: kind is pre or post, outcome ok (2xx),
// status (another answer) or error (no answer).
type Observer interface {
	WebhookAttempt(kind, outcome string)
}

// Webhooks implements parley.Hooks over a store and a job pool.
type Webhooks struct {
	store      parley.Store
	client     *http.Client
	log        *slog.Logger
	notify     parley.Notifier
	inspector  *Inspector
	preTimeout time.Duration
	clock      parley.Clock
	observer   Observer
}

var _ parley.Hooks = (*Webhooks)(nil)

// New returns Webhooks whose post-events are delivered by pool.
func New(store parley.Store, pool *jobs.Pool, cfg Config) *Webhooks {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.PreTimeout <= 0 || cfg.PreTimeout > Timeout {
		cfg.PreTimeout = Timeout
	}
	if cfg.Clock == nil {
		cfg.Clock = clock.Real{}
	}
	inspector := NewInspector(cfg.Retained)
	if cfg.Deliveries != nil {
		inspector = newStoredInspector(cfg.Retained, cfg.Deliveries, cfg.Logger)
	}
	w := &Webhooks{store: store, client: newClient(cfg.DenyPrivate), log: cfg.Logger, notify: pool,
		inspector: inspector, preTimeout: cfg.PreTimeout, clock: cfg.Clock, observer: cfg.Observer}
	w.inspector.clock = cfg.Clock
	pool.Handle(JobKind, w.deliver)
	return w
}

// Inspector is the record of recent deliveries.
func (w *Webhooks) Inspector() *Inspector { return w.inspector }

// Notify wakes the job pool after a commit that enqueued deliveries.
func (w *Webhooks) Notify() { w.notify.Notify() }

// job is the payload of a post-event delivery: everything needed to send
// it, fixed at enqueue time, except the auth token (read when sending, so a
// rotated token signs later attempts).
type job struct {
	AccountSID string     `json:"account_sid"`
	Event      string     `json:"event"`
	URL        string     `json:"url"`
	Method     string     `json:"method"`
	Token      string     `json:"token"`
	Params     url.Values `json:"params"`
	// Retries is set for Chat-dialect deliveries: the most retries, each
	// after a timeout or a 429/503/504 answer only (target.Retries).
	Retries *int `json:"retries,omitempty"`
	// RequestID is the Twilio-Request-Id of the request that caused the
	// event, for the inspector and the delivery log.
	RequestID string `json:"request_id,omitempty"`
}

// eventName is ev's event name as its receivers see it: Chat's for a
// Chat-dialect event, false when Chat has no such event (such events are
// not delivered in Chat's dialect).
func eventName(ev *parley.Event) (string, bool) {
	if ev.Chat {
		return parley.ChatEventOf(ev)
	}
	return ev.Type, true
}

// Post enqueues one delivery of ev per selected target, inside tx: the
// conversation's scoped webhooks, and the service's or account's post URL.
func (w *Webhooks) Post(tx parley.Tx, ev *parley.Event) error {
	name, ok := eventName(ev)
	if !ok {
		return nil
	}
	targets, err := scopedTargets(tx, ev)
	if err != nil {
		return err
	}
	if ev.ScopedWebhookSID == "" {
		t, err := serviceTarget(tx, ev, false)
		if err != nil {
			return err
		}
		if t != nil {
			targets = append(targets, *t)
		}
	}
	if len(targets) == 0 {
		return nil
	}
	params := Params(ev, tx.Now())
	for _, t := range targets {
		p := params
		if ev.Chat && t.Scoped != nil {
			// Chat names the channel webhook a call comes from.
			p = cloneValues(params)
			p.Set("WebhookSid", t.Scoped.SID)
			p.Set("WebhookType", t.Scoped.Target)
		}
		payload, err := json.Marshal(job{AccountSID: ev.AccountSID, Event: name, URL: t.URL, Method: t.Method,
			Token: parley.NewSecret(), Params: p, Retries: t.Retries, RequestID: ev.RequestID})
		if err != nil {
			return err
		}
		if err := tx.EnqueueJob(&parley.Job{Kind: JobKind, Payload: payload}); err != nil {
			return err
		}
	}
	return nil
}

func cloneValues(v url.Values) url.Values {
	out := make(url.Values, len(v)+2)
	for k, vs := range v {
		out[k] = vs
	}
	return out
}

// deliver sends one attempt of a post-event delivery; an error makes the
// job pool retry it with backoff. A Chat-dialect delivery is retried only
// as Chat documents: after a timeout or a 429, 503 or 504 answer, at most
// its retry count of times; any other failure ends it.
func (w *Webhooks) deliver(ctx context.Context, j *parley.Job) error {
	var p job
	if err := json.Unmarshal(j.Payload, &p); err != nil {
		return parley.PermanentJobError(err)
	}
	token, err := w.authToken(ctx, p.AccountSID)
	if parley.IsNotFound(err) {
		return parley.PermanentJobError(err)
	}
	if err != nil {
		return err
	}
	params := cloneValues(p.Params)
	params.Set("RetryCount", strconv.Itoa(j.Attempts-1))
	resp, err := send(ctx, w.client, request{URL: p.URL, Method: p.Method, Params: params, AuthToken: token, Idempotent: p.Token})
	if err == nil && (resp.Status < 200 || resp.Status > 299) {
		err = fmt.Errorf("HTTP %d", resp.Status)
	}
	w.recordAttempt(attempt{accountSID: p.AccountSID, token: p.Token, kind: "post", event: p.Event, url: p.URL,
		method: p.Method, requestID: p.RequestID, number: j.Attempts, resp: resp, err: err})
	if err != nil && p.Retries != nil && ctx.Err() == nil && (j.Attempts > *p.Retries || !chatRetryable(resp, err)) {
		return parley.PermanentJobError(err)
	}
	return err
}

// chatRetryable reports whether a failed Chat webhook call is retried: it
// timed out, or the receiver answered 429, 503 or 504
// (https://www.twilio.com/docs/chat/rest/service-resource, the
// pre_webhook_retry_count and post_webhook_retry_count parameters).
func chatRetryable(resp *response, err error) bool {
	if resp == nil {
		var nerr net.Error
		return errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &nerr) && nerr.Timeout())
	}
	switch resp.Status {
	case http.StatusTooManyRequests, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}

func (w *Webhooks) authToken(ctx context.Context, accountSID string) (string, error) {
	var token string
	err := w.store.Read(ctx, func(tx parley.Tx) error {
		a, err := tx.Account(accountSID)
		if err == nil {
			token = a.AuthToken
		}
		return err
	})
	return token, err
}

// PreTarget looks up, inside tx, ev's pre-event webhook and returns the
// call that waits up to Timeout for its answer. A non-2xx answer rejects
// the action; a 2xx JSON object overrides fields; no answer (timeout,
// unreachable) lets the action proceed unchanged, as Twilio fails open. A
// Chat-dialect call is repeated, up to the service's pre-event retry
// count, while it times out or gets 429/503/504.
func (w *Webhooks) PreTarget(tx parley.Tx, ev *parley.Event) (parley.PreCall, error) {
	name, ok := eventName(ev)
	if !ok {
		return nil, nil
	}
	t, err := serviceTarget(tx, ev, true)
	if err != nil || t == nil {
		return nil, err
	}
	a, err := tx.Account(ev.AccountSID)
	if err != nil {
		return nil, err
	}
	token, params := a.AuthToken, Params(ev, w.clock.Now())
	return func(ctx context.Context) (map[string]string, error) {
		return w.callPreWithRetries(ctx, ev, name, t, params, token)
	}, nil
}

// callPreWithRetries makes the pre-event call of PreTarget.
func (w *Webhooks) callPreWithRetries(ctx context.Context, ev *parley.Event, name string, t *target, params url.Values, token string) (map[string]string, error) {
	var resp *response
	var err error
	for attempt := 0; ; attempt++ {
		if ev.Chat {
			params.Set("RetryCount", strconv.Itoa(attempt))
		}
		resp, err = w.callPre(ctx, ev, name, t, params, token, attempt+1)
		if t.Retries == nil || attempt >= *t.Retries || !chatRetryable(resp, err) {
			break
		}
	}
	if err != nil {
		w.log.Warn("pre-event webhook did not answer; the action proceeds unchanged", "event", name, "url", t.URL,
			"request_id", ev.RequestID, "err", err)
		return nil, nil
	}
	if resp.Status < 200 || resp.Status > 299 {
		return nil, parley.Errorf(parley.CodeWebhookRejected, "The %s webhook rejected the action with HTTP %d", name, resp.Status)
	}
	o, err := overrides(resp.Body)
	if v, ok := o["from"]; ok && ev.Chat {
		// Chat names a message's author From.
		o["author"] = v
		delete(o, "from")
	}
	return o, err
}

// callPre makes one attempt of a pre-event call, bounded by the pre-event
// timeout, and records it.
func (w *Webhooks) callPre(ctx context.Context, ev *parley.Event, event string, t *target, params url.Values, token string, number int) (*response, error) {
	callCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), w.preTimeout)
	defer cancel()
	idem := parley.NewSecret()
	resp, err := send(callCtx, w.client, request{URL: t.URL, Method: t.Method, Params: params, AuthToken: token, Idempotent: idem})
	w.recordAttempt(attempt{accountSID: ev.AccountSID, token: idem, kind: "pre", event: event, url: t.URL,
		method: t.Method, requestID: ev.RequestID, number: number, resp: resp, err: err})
	return resp, err
}

// recordAttempt reports one call to the inspector, the metrics and the log
// (failures at warning level, successes at debug level), each naming the
// request that caused it.
func (w *Webhooks) recordAttempt(a attempt) {
	w.inspector.record(a)
	outcome := a.outcome()
	if w.observer != nil {
		w.observer.WebhookAttempt(a.kind, outcome)
	}
	attrs := []any{"kind", a.kind, "event", a.event, "url", a.url, "attempt", a.number,
		"account", a.accountSID, "request_id", a.requestID, "idempotency_token", a.token}
	if a.resp != nil {
		attrs = append(attrs, "status", a.resp.Status, "latency", a.resp.Latency)
	}
	if outcome == "ok" {
		w.log.Debug("webhook delivered", attrs...)
		return
	}
	if a.err != nil {
		attrs = append(attrs, "err", a.err)
	}
	w.log.Warn("webhook call failed", attrs...)
}

// overrides decodes a pre-event answer: empty or {} changes nothing; an
// object's values replace the fields of the same (lower-case) names.
// Non-string values are passed on as their JSON text.
func overrides(body []byte) (map[string]string, error) {
	body = bytes.TrimSpace(body)
	if len(body) == 0 {
		return nil, nil
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(body, &raw); err != nil {
		return nil, nil // not a JSON object: Twilio publishes the action unchanged
	}
	out := make(map[string]string, len(raw))
	for k, v := range raw {
		var s string
		if err := json.Unmarshal(v, &s); err == nil {
			out[k] = s
		} else if string(v) != "null" {
			out[k] = string(v)
		}
	}
	return out, nil
}
