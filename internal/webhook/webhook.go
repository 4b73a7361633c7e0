package webhook

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
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
	w := &Webhooks{store: store, client: newClient(cfg.DenyPrivate), log: cfg.Logger, notify: pool,
		inspector: NewInspector(cfg.Retained), preTimeout: cfg.PreTimeout, clock: cfg.Clock}
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
}

// Post enqueues one delivery of ev per selected target, inside tx: the
// conversation's scoped webhooks, and the service's or account's post URL.
func (w *Webhooks) Post(tx parley.Tx, ev *parley.Event) error {
	c, err := configFor(tx, ev.AccountSID, ev.ServiceSID)
	if err != nil {
		return err
	}
	targets, err := scopedTargets(tx, ev)
	if err != nil {
		return err
	}
	if t := configTarget(c, ev.Type, false); t != nil && ev.ScopedWebhookSID == "" {
		targets = append(targets, *t)
	}
	if len(targets) == 0 {
		return nil
	}
	params := Params(ev, tx.Now())
	for _, t := range targets {
		payload, err := json.Marshal(job{AccountSID: ev.AccountSID, Event: ev.Type, URL: t.URL, Method: t.Method,
			Token: parley.NewSecret(), Params: params})
		if err != nil {
			return err
		}
		if err := tx.EnqueueJob(&parley.Job{Kind: JobKind, Payload: payload}); err != nil {
			return err
		}
	}
	return nil
}

// deliver sends one attempt of a post-event delivery; an error makes the
// job pool retry it with backoff.
func (w *Webhooks) deliver(ctx context.Context, j *parley.Job) error {
	var p job
	if err := json.Unmarshal(j.Payload, &p); err != nil {
		return jobs.Permanent(err)
	}
	token, err := w.authToken(ctx, p.AccountSID)
	if parley.IsNotFound(err) {
		return jobs.Permanent(err)
	}
	if err != nil {
		return err
	}
	params := url.Values{}
	for k, v := range p.Params {
		params[k] = v
	}
	params.Set("RetryCount", strconv.Itoa(j.Attempts-1))
	resp, err := send(ctx, w.client, request{URL: p.URL, Method: p.Method, Params: params, AuthToken: token, Idempotent: p.Token})
	if err == nil && (resp.Status < 200 || resp.Status > 299) {
		err = fmt.Errorf("HTTP %d", resp.Status)
	}
	w.inspector.record(p.AccountSID, p.Token, "post", p.Event, p.URL, p.Method, j.Attempts, resp, err)
	return err
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

// Pre calls ev's pre-event webhook and waits up to Timeout for its answer.
// A non-2xx answer rejects the action; a 2xx JSON object overrides fields;
// no answer (timeout, unreachable) lets the action proceed unchanged, as
// Twilio fails open.
func (w *Webhooks) Pre(ctx context.Context, ev *parley.Event) (map[string]string, error) {
	var t *target
	var token string
	err := w.store.Read(ctx, func(tx parley.Tx) error {
		c, err := configFor(tx, ev.AccountSID, ev.ServiceSID)
		if err != nil {
			return err
		}
		if t = configTarget(c, ev.Type, true); t == nil {
			return nil
		}
		a, err := tx.Account(ev.AccountSID)
		if err == nil {
			token = a.AuthToken
		}
		return err
	})
	if err != nil || t == nil {
		return nil, err
	}
	callCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), w.preTimeout)
	defer cancel()
	idem := parley.NewSecret()
	resp, err := send(callCtx, w.client, request{URL: t.URL, Method: t.Method, Params: Params(ev, w.clock.Now()),
		AuthToken: token, Idempotent: idem})
	w.inspector.record(ev.AccountSID, idem, "pre", ev.Type, t.URL, t.Method, 1, resp, err)
	if err != nil {
		w.log.Warn("pre-event webhook did not answer; the action proceeds unchanged", "event", ev.Type, "url", t.URL, "err", err)
		return nil, nil
	}
	if resp.Status < 200 || resp.Status > 299 {
		return nil, parley.Errorf(parley.CodeWebhookRejected, "The %s webhook rejected the action with HTTP %d", ev.Type, resp.Status)
	}
	return overrides(resp.Body)
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
