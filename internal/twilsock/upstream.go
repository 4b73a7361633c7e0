package twilsock

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"

	parley "github.com/parley-dev/parley"
)

// message runs an upstream HTTP request ("message" frame) against the
// in-process handler and replies with its status, headers and body
// (reference §1.5). http_status is always set: the SDK crashes without it.
func (c *conn) message(f Frame) {
	c.mu.Lock()
	caller := c.caller
	c.mu.Unlock()
	if caller == nil {
		c.reply(f.Header.ID, &Status{Code: 401, Status: "UNAUTHORIZED", Description: "init first"})
		return
	}
	select {
	case c.inflight <- struct{}{}:
	case <-c.ctx.Done():
		return
	}
	c.requests.Add(1)
	go func() {
		defer func() {
			<-c.inflight
			c.requests.Done()
		}()
		c.upstream(caller, f)
	}()
}

func (c *conn) upstream(caller *parley.Caller, f Frame) {
	ctx, cancel := context.WithTimeout(c.ctx, requestTimeout)
	defer cancel()
	notes := &notes{}
	ctx = parley.WithClientNotifier(parley.WithCaller(ctx, caller), notes)
	ctx = parley.WithClientStream(ctx, c)
	rec := &recorder{header: http.Header{}, status: http.StatusOK}
	req, err := c.request(ctx, f)
	if err != nil {
		c.reply(f.Header.ID, &Status{Code: 400, Status: "BAD_REQUEST", Description: err.Error()})
		return
	}
	c.s.cfg.Handler.ServeHTTP(rec, req)
	ct := rec.header.Get("Content-Type")
	if ct == "" {
		ct = "application/json"
	}
	b, err := Encode(Header{Method: "reply", ID: f.Header.ID, Status: statusOK,
		HTTPStatus:  &Status{Code: rec.status, Status: http.StatusText(rec.status)},
		HTTPHeaders: map[string]string{"Content-Type": ct}, PayloadType: ct}, rec.body.Bytes())
	if err != nil {
		c.reply(f.Header.ID, &Status{Code: 500, Status: "INTERNAL_SERVER_ERROR"})
		return
	}
	c.send(item{frame: b})
	for _, n := range notes.take() {
		c.Notify(n.messageType, n.payload)
	}
}

// request builds the in-process HTTP request a message frame describes.
// The host the SDK addressed is a label (aim., cds.…): requests are routed
// by path, and absolute URLs in responses use the WebSocket's own host.
func (c *conn) request(ctx context.Context, f Frame) (*http.Request, error) {
	hr := f.Header.HTTPRequest
	if hr == nil {
		return nil, errString("message without http_request")
	}
	u, err := url.ParseRequestURI(hr.Path)
	if err != nil {
		return nil, err
	}
	if q := rawQuery(hr.Params); q != "" {
		u.RawQuery = q
	}
	method := strings.ToUpper(hr.Method)
	if method == "" {
		method = http.MethodGet
	}
	req, err := http.NewRequestWithContext(ctx, method, u.String(), bytes.NewReader(f.Payload))
	if err != nil {
		return nil, err
	}
	req.Host, req.TLS, req.RequestURI = c.host, c.tls, u.RequestURI()
	for k, v := range hr.Headers {
		req.Header.Set(k, v)
	}
	if req.Header.Get("Content-Type") == "" && f.Header.PayloadType != "" {
		req.Header.Set("Content-Type", f.Header.PayloadType)
	}
	if c.proto != "" {
		req.Header.Set("X-Forwarded-Proto", c.proto)
	}
	return req, nil
}

// rawQuery rebuilds the query string from params, which hold values still
// percent-encoded, an array for a repeated key.
func rawQuery(params map[string]json.RawMessage) string {
	keys := make([]string, 0, len(params))
	for k := range params {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var parts []string
	for _, k := range keys {
		var one string
		var many []string
		switch raw := params[k]; {
		case json.Unmarshal(raw, &one) == nil:
			many = []string{one}
		case json.Unmarshal(raw, &many) == nil:
		default:
			many = []string{strings.Trim(string(raw), `"`)}
		}
		for _, v := range many {
			parts = append(parts, k+"="+v)
		}
	}
	return strings.Join(parts, "&")
}

type errString string

func (e errString) Error() string { return string(e) }

// recorder is the ResponseWriter of an in-process request.
type recorder struct {
	header http.Header
	status int
	wrote  bool
	body   bytes.Buffer
}

func (r *recorder) Header() http.Header { return r.header }

func (r *recorder) WriteHeader(status int) {
	if !r.wrote {
		r.status, r.wrote = status, true
	}
}

func (r *recorder) Write(b []byte) (int, error) {
	r.wrote = true
	return r.body.Write(b)
}

// notes collects the notifications a request's handler asks for, to be
// sent after its reply.
type notes struct {
	mu   sync.Mutex
	list []note
}

type note struct {
	messageType string
	payload     []byte
}

func (n *notes) Notify(messageType string, payload []byte) {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.list = append(n.list, note{messageType, payload})
}

func (n *notes) take() []note {
	n.mu.Lock()
	defer n.mu.Unlock()
	l := n.list
	n.list = nil
	return l
}
