// Package metrics exposes Parley's Prometheus metrics: HTTP requests by
// route pattern and status, store commits and their group size, the job
// backlog and webhook call outcomes, next to the Go runtime's and the
// process's. Each server has its own registry (no global state), served
// by Handler.
package metrics

import (
	"context"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	parley "github.com/parley-dev/parley"
	"github.com/parley-dev/parley/internal/store"
)

// JobQueue reads the job backlog at scrape time.
type JobQueue interface {
	JobQueue(ctx context.Context) ([]store.QueueStat, error)
}

// Metrics holds one server's collectors. Its methods are the hooks the
// HTTP middleware, the store and the webhook sender call.
type Metrics struct {
	registry  *prometheus.Registry
	requests  *prometheus.CounterVec
	latency   *prometheus.HistogramVec
	commits   prometheus.Counter
	groupSize prometheus.Histogram
	webhooks  *prometheus.CounterVec
	slowSDK   prometheus.Counter
}

// New registers every collector but the job backlog's (WatchJobs).
func New() *Metrics {
	m := &Metrics{registry: prometheus.NewRegistry()}
	m.requests = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "parley_http_requests_total",
		Help: "HTTP requests answered, by method, route pattern and status code.",
	}, []string{"method", "route", "status"})
	m.latency = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "parley_http_request_duration_seconds",
		Help:    "Time from a request's arrival to its handler's return, by method and route pattern.",
		Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
	}, []string{"method", "route"})
	m.commits = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "parley_store_commits_total",
		Help: "Database commits of write transactions (one commit may carry a group of writes).",
	})
	m.groupSize = prometheus.NewHistogram(prometheus.HistogramOpts{
		Name:    "parley_store_commit_group_size",
		Help:    "Write transactions that shared one commit (the group commit).",
		Buckets: []float64{1, 2, 4, 8, 16, 32, 64, 128},
	})
	m.webhooks = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "parley_webhook_attempts_total",
		Help: "Webhook calls by kind (pre, post) and outcome: ok (2xx), status (another answer), error (no answer).",
	}, []string{"kind", "outcome"})
	m.slowSDK = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "parley_sdk_slow_consumer_closes_total",
		Help: "Client-SDK connections closed because they read too slowly for their write queue.",
	})
	m.registry.MustRegister(m.requests, m.latency, m.commits, m.groupSize, m.webhooks, m.slowSDK,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// WatchJobs reports the job backlog, read from queue on each scrape; clock
// dates its age, and kinds are the job kinds always reported (0 when
// idle, so alerts need no absent() guards).
func (m *Metrics) WatchJobs(queue JobQueue, kinds []string, clock parley.Clock, log *slog.Logger) {
	m.registry.MustRegister(&queueCollector{queue: queue, kinds: kinds, clock: clock, log: log})
}

// WatchSDK reports the open client-SDK (twilsock) connections, read from
// count on each scrape.
func (m *Metrics) WatchSDK(count func() int) {
	m.registry.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "parley_sdk_connections",
		Help: "Open client-SDK (twilsock) connections on this node.",
	}, func() float64 { return float64(count()) }))
}

// SlowConsumer counts one client-SDK connection closed for reading too
// slowly.
func (m *Metrics) SlowConsumer() { m.slowSDK.Inc() }

// Handler serves the registry in Prometheus' text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{Registry: m.registry})
}

// ObserveRequest counts one answered request.
func (m *Metrics) ObserveRequest(method, route string, status int, took time.Duration) {
	m.requests.WithLabelValues(method, route, strconv.Itoa(status)).Inc()
	m.latency.WithLabelValues(method, route).Observe(took.Seconds())
}

// ObserveCommit counts one commit carrying writes write transactions.
func (m *Metrics) ObserveCommit(writes int) {
	m.commits.Inc()
	m.groupSize.Observe(float64(writes))
}

// WebhookAttempt counts one webhook call.
func (m *Metrics) WebhookAttempt(kind, outcome string) {
	m.webhooks.WithLabelValues(kind, outcome).Inc()
}

// queueCollector reads the job backlog from the store when scraped, so the
// numbers are the database's (every node sees the same queue) rather than
// one process's guess.
type queueCollector struct {
	queue JobQueue
	kinds []string
	clock parley.Clock
	log   *slog.Logger
}

var (
	queueDepth = prometheus.NewDesc("parley_jobs_due",
		"Jobs whose time has come and that have not finished (webhook deliveries, timers), by kind.", []string{"kind"}, nil)
	queueAge = prometheus.NewDesc("parley_jobs_oldest_due_age_seconds",
		"How long the oldest due job of each kind has waited past its time.", []string{"kind"}, nil)
)

func (c *queueCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- queueDepth
	ch <- queueAge
}

func (c *queueCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	stats, err := c.queue.JobQueue(ctx)
	if err != nil {
		c.log.Warn("metrics: reading the job queue failed", "err", err)
		return
	}
	seen := map[string]bool{}
	now := c.clock.Now()
	for _, s := range stats {
		seen[s.Kind] = true
		ch <- prometheus.MustNewConstMetric(queueDepth, prometheus.GaugeValue, float64(s.Due), s.Kind)
		ch <- prometheus.MustNewConstMetric(queueAge, prometheus.GaugeValue, max(0, now.Sub(s.OldestDue).Seconds()), s.Kind)
	}
	for _, k := range c.kinds {
		if !seen[k] {
			ch <- prometheus.MustNewConstMetric(queueDepth, prometheus.GaugeValue, 0, k)
			ch <- prometheus.MustNewConstMetric(queueAge, prometheus.GaugeValue, 0, k)
		}
	}
}
