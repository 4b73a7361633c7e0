package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// budget bounds one measured run: a fixed number of operations when count is
// positive, otherwise a duration.
type budget struct {
	count    int
	duration time.Duration
}

// op performs one operation. worker identifies the calling client; i numbers
// the operation within the run, so ops can spread over conversations.
type op func(ctx context.Context, worker, i int) error

// sample is what one or more runs measured.
type sample struct {
	ops, errors int
	elapsed     time.Duration
	latencies   []time.Duration
	firstErr    error
	rounds      []float64 // ops/s of each run merged into this sample
}

// measure runs fn from conc concurrent clients until the budget is spent.
// Every client loops: take a number, run the op, record its latency.
func measure(ctx context.Context, conc int, b budget, fn op) sample {
	var next atomic.Int64
	deadline := time.Now().Add(b.duration)
	per := make([]sample, conc)
	var wg sync.WaitGroup
	start := time.Now()
	for w := range conc {
		wg.Go(func() {
			s := &per[w]
			for ctx.Err() == nil {
				i := int(next.Add(1)) - 1
				if (b.count > 0 && i >= b.count) || (b.count <= 0 && !time.Now().Before(deadline)) {
					return
				}
				t0 := time.Now()
				err := fn(ctx, w, i)
				s.latencies = append(s.latencies, time.Since(t0))
				if err != nil {
					s.errors++
					s.firstErr = cmpErr(s.firstErr, err)
				}
			}
		})
	}
	wg.Wait()
	out := sample{elapsed: time.Since(start)}
	for _, s := range per {
		out.errors += s.errors
		out.firstErr = cmpErr(out.firstErr, s.firstErr)
		out.latencies = append(out.latencies, s.latencies...)
	}
	out.ops = len(out.latencies)
	out.rounds = []float64{out.rate()}
	if err := ctx.Err(); err != nil && out.firstErr == nil {
		out.firstErr = err
	}
	return out
}

func cmpErr(first, err error) error {
	if first != nil {
		return first
	}
	return err
}

// merge adds another run's figures, so alternating rounds report together.
func (s *sample) merge(o sample) {
	s.ops += o.ops
	s.errors += o.errors
	s.elapsed += o.elapsed
	s.latencies = append(s.latencies, o.latencies...)
	s.firstErr = cmpErr(s.firstErr, o.firstErr)
	s.rounds = append(s.rounds, o.rounds...)
}

// rate is operations per second over the measured time.
func (s *sample) rate() float64 {
	if s.elapsed <= 0 {
		return 0
	}
	return float64(s.ops) / s.elapsed.Seconds()
}

// percentile is the latency below which a fraction p of operations finished
// (nearest rank), in milliseconds.
func (s *sample) percentile(p float64) float64 {
	if len(s.latencies) == 0 {
		return 0
	}
	if !slices.IsSorted(s.latencies) {
		slices.Sort(s.latencies)
	}
	i := max(int(math.Ceil(p*float64(len(s.latencies))))-1, 0)
	return float64(s.latencies[i]) / float64(time.Millisecond)
}

// endpoint is one HTTP server under test with its own keep-alive client,
// configured the same for Parley and the floor so client cost cancels out.
type endpoint struct {
	base       string
	user, pass string // HTTP Basic credentials; empty for the floor
	client     *http.Client
}

func newEndpoint(base, user, pass string) *endpoint {
	tr := &http.Transport{MaxIdleConns: 1024, MaxIdleConnsPerHost: 1024, IdleConnTimeout: 90 * time.Second,
		DisableCompression: true}
	return &endpoint{base: strings.TrimRight(base, "/"), user: user, pass: pass,
		client: &http.Client{Transport: tr, Timeout: time.Minute}}
}

// call sends one request; a non-empty form makes it a form POST. Any answer
// other than 2xx is an error. The body is decoded into out when out is not
// nil and read to the end otherwise, so the connection is reused.
func (e *endpoint) call(ctx context.Context, method, path, form string, out any) error {
	var body io.Reader
	if form != "" {
		body = strings.NewReader(form)
	}
	req, err := http.NewRequestWithContext(ctx, method, e.base+path, body)
	if err != nil {
		return err
	}
	if form != "" {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if e.user != "" {
		req.SetBasicAuth(e.user, e.pass)
	}
	resp, err := e.client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		msg, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
		return fmt.Errorf("%s %s: %s: %s", method, path, resp.Status, strings.TrimSpace(string(msg)))
	}
	if out != nil {
		return json.NewDecoder(resp.Body).Decode(out)
	}
	_, err = io.Copy(io.Discard, resp.Body)
	return err
}

func (e *endpoint) close() { e.client.CloseIdleConnections() }
