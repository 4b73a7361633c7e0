package webhook

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/parley-dev/parley/internal/egress"
)

// Outbound HTTP limits. Twilio waits at most 5 seconds for any
// Conversations webhook; a receiver's answer is read up to maxBody bytes
// (a pre-event reply is a small JSON object).
const (
	Timeout      = 5 * time.Second
	maxBody      = 64 << 10
	maxRedirects = 3
	userAgent    = "TwilioProxy/1.1"
)

// newClient returns the HTTP client webhooks are sent with: bounded time,
// redirects followed only within the same host, and, with denyPrivate,
// no connections to loopback, private or link-local addresses (checked on
// the resolved address, so DNS cannot smuggle one in).
func newClient(denyPrivate bool) *http.Client {
	dialer := &net.Dialer{Timeout: Timeout, Control: egress.Control(denyPrivate)}
	transport := http.DefaultTransport.(*http.Transport).Clone()
	transport.DialContext = dialer.DialContext
	transport.MaxIdleConnsPerHost = 32
	return &http.Client{
		Timeout:   Timeout,
		Transport: transport,
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) >= maxRedirects {
				return errors.New("webhook: too many redirects")
			}
			if req.URL.Host != via[0].URL.Host {
				return fmt.Errorf("webhook: redirect to another host (%s) refused", req.URL.Host)
			}
			return nil
		},
	}
}

// request is one webhook call.
type request struct {
	URL        string
	Method     string
	Params     url.Values
	AuthToken  string
	Idempotent string // I-Twilio-Idempotency-Token
}

// response is a receiver's answer (Body bounded by maxBody).
type response struct {
	Status  int
	Body    []byte
	Latency time.Duration
}

// send makes one signed call.
func send(ctx context.Context, c *http.Client, r request) (*response, error) {
	target, body := r.URL, io.Reader(nil)
	var form url.Values
	if strings.EqualFold(r.Method, http.MethodGet) {
		target = withQuery(r.URL, r.Params)
	} else {
		form, body = r.Params, strings.NewReader(r.Params.Encode())
	}
	req, err := http.NewRequestWithContext(ctx, strings.ToUpper(r.Method), target, body)
	if err != nil {
		return nil, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	req.Header.Set("User-Agent", userAgent)
	req.Header.Set("X-Twilio-Signature", Signature(r.AuthToken, target, form))
	if r.Idempotent != "" {
		req.Header.Set("I-Twilio-Idempotency-Token", r.Idempotent)
	}
	start := time.Now()
	resp, err := c.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	return &response{Status: resp.StatusCode, Body: raw, Latency: time.Since(start)}, err
}
