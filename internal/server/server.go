// Package server assembles a running Parley from a Config: the store, the
// domain, every wire surface, and the HTTP listener. cmd/parley and the
// end-to-end tests both start Parley through it.
package server

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"time"

	parley "github.com/parley-dev/parley"
	"github.com/parley-dev/parley/internal/api/accounts"
	"github.com/parley-dev/parley/internal/api/admin"
	"github.com/parley-dev/parley/internal/api/chat"
	"github.com/parley-dev/parley/internal/api/client"
	"github.com/parley-dev/parley/internal/api/conversations"
	"github.com/parley-dev/parley/internal/api/media"
	"github.com/parley-dev/parley/internal/api/messaging"
	simulatorapi "github.com/parley-dev/parley/internal/api/simulator"
	"github.com/parley-dev/parley/internal/blob"
	"github.com/parley-dev/parley/internal/bus"
	"github.com/parley-dev/parley/internal/channel/email"
	"github.com/parley-dev/parley/internal/channel/twilio"
	"github.com/parley-dev/parley/internal/channel/whatsapp"
	"github.com/parley-dev/parley/internal/clock"
	"github.com/parley-dev/parley/internal/core"
	"github.com/parley-dev/parley/internal/demo"
	"github.com/parley-dev/parley/internal/edge"
	"github.com/parley-dev/parley/internal/egress"
	"github.com/parley-dev/parley/internal/jobs"
	"github.com/parley-dev/parley/internal/metrics"
	"github.com/parley-dev/parley/internal/push"
	"github.com/parley-dev/parley/internal/ratelimit"
	"github.com/parley-dev/parley/internal/reqlog"
	"github.com/parley-dev/parley/internal/secrets"
	"github.com/parley-dev/parley/internal/store"
	"github.com/parley-dev/parley/internal/syncview"
	"github.com/parley-dev/parley/internal/twilioapi"
	"github.com/parley-dev/parley/internal/twilsock"
	"github.com/parley-dev/parley/internal/webhook"
)

// Config is every setting of a Parley server.
type Config struct {
	Addr        string // listen address; port 0 picks a free one
	DataDir     string // holds the SQLite file unless DatabaseURL names another database
	DatabaseURL string // SQLite path or postgres:// URL; empty = DataDir/parley.db
	PublicURL   string // base of absolute URLs in responses; empty = the request's own
	AccountSID  string // fixes the account SID (emulator and test use)
	AuthToken   string // fixes the account's auth token
	DBMaxConns  int
	// DBStatementTimeout aborts long PostgreSQL statements.
	DBStatementTimeout time.Duration
	Logger             *slog.Logger
	// MasterKey (32 bytes) seals secrets at rest; when empty it is read from
	// DataDir/master.key, which the first start creates.
	MasterKey []byte
	// WebhookBackoff is the wait before a failed post-event webhook's first
	// retry; later retries double it (default 1s; tests make it tiny).
	WebhookBackoff time.Duration
	// WebhookDenyPrivate refuses webhook URLs that resolve to loopback,
	// private or link-local addresses.
	WebhookDenyPrivate bool
	// WebhookPreTimeout bounds the wait for a pre-event webhook (default and
	// maximum: Twilio's 5 seconds; tests shorten it).
	WebhookPreTimeout time.Duration
	// NodeID names this node among those sharing a database; a restarted
	// node takes back at once the jobs its previous process held. Empty:
	// the id kept in DataDir/node-id, created on first start.
	NodeID string
	// JobLease is how long a job a worker claimed stays hidden from other
	// workers without a heartbeat: the longest a crashed node's jobs wait
	// for another node (default 5s; heartbeats renew it every third).
	JobLease time.Duration
	// Clock is ClockReal (the default) or ClockVirtual: a clock that stands
	// still until POST /parley/v1/Clock moves it, for tests and demos.
	Clock string
	// HTTP holds the listener's timeouts and connection cap (zero fields
	// take edge's defaults).
	HTTP edge.Config
	// RateLimit limits each account's request rate; the zero value limits
	// nothing (`parley serve` sets its documented defaults).
	RateLimit ratelimit.Config
	// Metrics serves Prometheus metrics at /metrics on the main listener
	// (without credentials); MetricsAddr serves them on a listener of
	// their own instead. Both empty: no /metrics.
	Metrics     bool
	MetricsAddr string
	// PprofAddr serves net/http/pprof on a listener of its own; empty
	// (the default) serves no profiles.
	PprofAddr string
	// MediaDir holds uploaded media files (default: DataDir/media).
	MediaDir string
	// Push points push notifications at their services: FCM's and APNs'
	// base URLs (empty: Google's and Apple's) and a PEM file of extra
	// trusted roots (a TLS-inspecting proxy, a test's fake).
	PushFCMURL, PushAPNsURL, PushAPNsSandboxURL string
	PushCAFile                                  string
	// Dev opens the demo page's token endpoint (POST /demo/token), which
	// hands out access tokens for any identity without credentials: for a
	// developer's own machine only. The page itself is always served.
	Dev bool
	// ChannelSMS and ChannelWhatsApp pick each binding type's adapter:
	// ChannelSimulator (the default), ChannelTwilio, or for WhatsApp
	// ChannelWhatsAppCloud; Twilio and WhatsApp hold their credentials
	// (Twilio's PublicURL defaults to PublicURL, else the listener's URL).
	ChannelSMS, ChannelWhatsApp string
	Twilio                      twilio.Config
	WhatsApp                    whatsapp.Config
	// ChannelEmail picks email participants' adapter: ChannelSimulator
	// (the default) or ChannelSMTP, which sends through Email.URL.
	ChannelEmail string
	Email        email.Config
	// SMTPListen, when set, is the address of the SMTP listener that takes
	// mail to the account's email addresses (any email adapter).
	SMTPListen string
}

// Server is a running Parley.
type Server struct {
	// Account is the bootstrap account; AccountCreated reports whether this
	// start created it (its auth token is then shown once).
	Account        *parley.Account
	AccountCreated bool
	Store          parley.Store
	// Clock is the clock everything reads: the wall clock, or the virtual
	// one of Config.Clock.
	Clock parley.Clock

	jobs      *jobs.Pool
	sdk       *twilsock.Server
	sdkAPI    *client.API
	inspector *webhook.Inspector
	listener  net.Listener
	http      *http.Server
	log       *slog.Logger
	// side are the metrics and pprof listeners' servers, when configured.
	side []*sideServer
	// events carries committed Sync events to the client SDKs' hub.
	events *bus.Local
	// smtp is the inbound mail listener, when Config.SMTPListen is set.
	smtp *email.Listener
}

// mediaFetcher is the client inbound media files are fetched with: the
// URLs come from phones' messages, so --webhook-deny-private keeps them
// off private addresses as it keeps webhooks.
func mediaFetcher(denyPrivate bool) *http.Client {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.DialContext = (&net.Dialer{Timeout: 10 * time.Second, Control: egress.Control(denyPrivate)}).DialContext
	return &http.Client{Transport: t}
}

// pushRouter is the push transports the config points at.
func (c Config) pushRouter() (*push.Router, error) {
	o := push.Options{FCMURL: c.PushFCMURL, APNsURL: c.PushAPNsURL, APNsSandboxURL: c.PushAPNsSandboxURL}
	if c.PushCAFile != "" {
		pem, err := os.ReadFile(c.PushCAFile)
		if err != nil {
			return nil, fmt.Errorf("push CA file: %w", err)
		}
		roots, err := x509.SystemCertPool()
		if err != nil {
			roots = x509.NewCertPool()
		}
		if !roots.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("push CA file %s: no PEM certificate in it", c.PushCAFile)
		}
		t := http.DefaultTransport.(*http.Transport).Clone()
		t.TLSClientConfig = &tls.Config{RootCAs: roots}
		o.ClientTransport = t
	}
	return push.New(o), nil
}

// DatabaseURL is the database a config points at.
func (c Config) databaseURL() string {
	if c.DatabaseURL != "" {
		return c.DatabaseURL
	}
	return filepath.Join(c.DataDir, "parley.db")
}

// masterKey is the configured key, else the one in the data directory.
func (c Config) masterKey() ([]byte, error) {
	if len(c.MasterKey) > 0 {
		if len(c.MasterKey) != secrets.KeySize {
			return nil, fmt.Errorf("want %d bytes, got %d", secrets.KeySize, len(c.MasterKey))
		}
		return c.MasterKey, nil
	}
	if c.DataDir == "" {
		// Never drop a key file into whatever the working directory is.
		return nil, errors.New("set MasterKey or DataDir (where master.key is kept)")
	}
	return secrets.LoadOrCreateKey(filepath.Join(c.DataDir, "master.key"))
}

// Start listens, then opens the store, bootstraps the account and serves.
// Listening comes first so that a start that cannot serve (the port is
// taken) changes nothing: no account is created whose credentials nobody
// saw. The server runs until Shutdown.
func Start(ctx context.Context, cfg Config) (s *Server, err error) {
	log := cfg.Logger
	if log == nil {
		log = slog.Default()
	}
	var clk parley.Clock = clock.Real{}
	var virtual *clock.Virtual
	switch cfg.Clock {
	case "", ClockReal:
	case ClockVirtual:
		virtual = clock.NewVirtual(time.Now())
		clk = virtual
	default:
		return nil, fmt.Errorf("clock: want %q or %q, got %q", ClockReal, ClockVirtual, cfg.Clock)
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return nil, fmt.Errorf("listen on %s: %w", cfg.Addr, err)
	}
	var side []*sideServer
	defer func() {
		if err != nil {
			ln.Close()
			for _, ss := range side {
				ss.ln.Close()
			}
		}
	}()
	side, err = listenSide(cfg)
	if err != nil {
		return nil, err
	}
	if err := cfg.prepareDataDir(); err != nil {
		return nil, err
	}
	key, err := cfg.masterKey()
	if err != nil {
		return nil, fmt.Errorf("master key: %w", err)
	}
	m := metrics.New()
	// Committed Sync events go from the store's after-commit hook over the
	// bus to the hub, which sends them to subscribed SDK connections.
	events := bus.NewLocal()
	db, err := store.Open(ctx, cfg.databaseURL(), store.Options{Clock: clk, MaxConns: cfg.DBMaxConns,
		StatementTimeout: cfg.DBStatementTimeout, Commits: m, Events: events})
	if err != nil {
		events.Close()
		return nil, fmt.Errorf("open store: %w", err)
	}
	hub := syncview.NewHub(db, log)
	events.Subscribe(hub.Deliver)
	node, err := cfg.nodeID()
	if err != nil {
		db.Close()
		return nil, err
	}
	m.WatchJobs(db, []string{core.TimerJobKind, webhook.JobKind, core.AccountPurgeJobKind, core.MediaDeleteJobKind,
		core.ChannelDeliveryJobKind, core.PushFanoutJobKind, core.PushSendJobKind,
		client.PresenceSweepJobKind}, clk, log)
	pushes, err := cfg.pushRouter()
	if err != nil {
		db.Close()
		return nil, err
	}
	pool := jobs.New(db, jobs.Config{BackoffBase: cfg.WebhookBackoff, Lease: cfg.JobLease, Node: node, Logger: log, Clock: clk})
	hooks := webhook.New(db, pool, webhook.Config{DenyPrivate: cfg.WebhookDenyPrivate,
		PreTimeout: cfg.WebhookPreTimeout, Logger: log, Clock: clk, Observer: m, Deliveries: db})
	// closeAll undoes the start so far: the inspector's flusher, then the store.
	closeAll := func(err error) error {
		hooks.Inspector().Close(ctx)
		db.Close()
		events.Close()
		return err
	}
	publicURL := cfg.PublicURL
	if publicURL == "" {
		publicURL = "http://" + ln.Addr().String()
	}
	cfg.Email.Logger = log
	chans, err := cfg.channels(db, publicURL)
	if err != nil {
		return nil, closeAll(err)
	}
	app := core.New(db, core.WithMasterKey(key), core.WithHooks(hooks), core.WithBlobs(blob.NewDir(cfg.mediaDir())),
		core.WithProjector(syncview.Projector{}),
		core.WithChannels(chans.adapters, pool), core.WithMediaBase(publicURL+media.Prefix),
		core.WithPush(pushes, pool), core.WithMediaFetcher(mediaFetcher(cfg.WebhookDenyPrivate)))
	pool.Handle(core.MediaDeleteJobKind, app.RunMediaDelete)
	pool.Handle(core.TimerJobKind, app.RunTimer)
	pool.Handle(core.ChannelDeliveryJobKind, app.RunChannelDelivery)
	pool.Handle(core.AccountPurgeJobKind, app.RunAccountPurge)
	pool.Handle(core.PushFanoutJobKind, app.RunPushFanout)
	pool.Handle(core.PushSendJobKind, app.RunPushSend)
	pool.Handle(syncview.PruneJobKind, syncview.DefaultRetention.Run(db))
	if err := syncview.DefaultRetention.Schedule(ctx, db); err != nil {
		return nil, closeAll(fmt.Errorf("schedule the Sync log retention: %w", err))
	}
	presence := client.NewPresence(app, node, log)
	pool.Handle(client.PresenceSweepJobKind, presence.RunSweep(db))
	if err := client.ScheduleSweep(ctx, db); err != nil {
		return nil, closeAll(fmt.Errorf("schedule the reachability sweep: %w", err))
	}
	var moves admin.Clock // stays nil on the real clock
	if virtual != nil {
		vc := &virtualClock{clock: virtual, store: db, pool: pool}
		if err := vc.resume(ctx); err != nil {
			return nil, closeAll(fmt.Errorf("virtual clock: %w", err))
		}
		moves = vc
		log.Info("virtual clock: time moves only through POST /parley/v1/Clock", "now", virtual.Now())
	}
	acct, created, err := app.Bootstrap(ctx, cfg.AccountSID, cfg.AuthToken)
	if err != nil {
		return nil, closeAll(fmt.Errorf("bootstrap account: %w", err))
	}
	if acct == nil {
		return nil, closeAll(errors.New("bootstrap account: the store holds no account"))
	}
	page, err := demoPage(ctx, cfg, app, acct.SID, log)
	if err != nil {
		return nil, closeAll(err)
	}
	var mail *email.Listener
	if cfg.SMTPListen != "" {
		if mail, err = email.Listen(cfg.SMTPListen, app, acct.SID, log); err != nil {
			return nil, closeAll(fmt.Errorf("--smtp-listen: %w", err))
		}
		log.Info("smtp listener taking inbound mail", "addr", mail.Addr().String())
	}
	ln = cfg.HTTP.Listen(ln)
	if err := pool.Start(ctx); err != nil {
		if mail != nil {
			mail.Shutdown(ctx)
		}
		return nil, closeAll(err)
	}
	s = &Server{Account: acct, AccountCreated: created, Store: db, Clock: clk, jobs: pool, inspector: hooks.Inspector(),
		listener: ln, log: log, side: side, events: events, smtp: mail}
	sdk, sdkAPI := clientSDK(app, cfg.PublicURL, hub, presence, clk, m, log)
	front := http.NewServeMux()
	front.HandleFunc("GET /readyz", readyz(db))
	if cfg.Metrics {
		front.Handle("GET /metrics", m.Handler())
	}
	front.Handle(media.Prefix+"/", media.New(app, cfg.PublicURL).Handler())
	front.Handle(demo.Path, page)
	front.Handle(demo.Path+"/", page)
	chans.mount(front, app, acct.SID, log)
	front.Handle("/", Handler(app, hooks.Inspector(), moves, cfg.PublicURL, sdk, cfg.RateLimit, log))
	s.http = &http.Server{Handler: reqlog.Middleware(log, m, quietRoutes, edge.CanonicalPaths(front)),
		ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn)}
	cfg.HTTP.Apply(s.http)
	s.sdk, s.sdkAPI = sdk, sdkAPI
	go func() {
		if err := s.http.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Error("http server stopped", "err", err)
		}
	}()
	for _, ss := range side {
		ss.serve(log, m)
	}
	log.Info("parley listening", "addr", s.URL(), "engine", db.Engine())
	return s, nil
}

// Handler routes every surface: /healthz without credentials, the client
// SDK's WebSocket (its access token travels in the first frame), and
// everything else behind HTTP Basic account authentication and then the
// account's rate limits. Internal errors are logged to log.
func Handler(app *core.App, inspector *webhook.Inspector, clk admin.Clock, publicURL string, sdk http.Handler, limits ratelimit.Config, log *slog.Logger) http.Handler {
	api := http.NewServeMux()
	register(twilioapi.NewRoutes(api), app, inspector, clk, publicURL)
	api.Handle("/", twilioapi.HandlerFunc(twilioapi.NotFound))

	root := http.NewServeMux()
	root.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Write([]byte("ok\n"))
	})
	root.Handle("GET /v3/wsconnect", sdk)
	limited := ratelimit.New(limits, api).Wrap(api)
	// routeByHost first, so the request log sees the Messaging path it routes.
	root.Handle("/", twilioapi.RequireAccount(app, routeByHost(reqlog.Route(accountSID, api, limited))))
	return twilioapi.WithLogger(log, twilioapi.Recover(edge.CanonicalPaths(root)))
}

// register adds every surface's routes to rt.
func register(rt *twilioapi.Routes, app *core.App, inspector *webhook.Inspector, clk admin.Clock, publicURL string) {
	conversations.New(app, publicURL).Register(rt)
	chat.New(app, publicURL).Register(rt)
	admin.New(inspector, app, clk).Register(rt)
	accounts.New(app).Register(rt)
	messaging.New(app, publicURL).Register(rt)
	simulatorapi.New(app, publicURL).Register(rt)
}

// Routes lists every route Handler serves behind authentication, as
// "METHOD /path/{Wildcard}" (the authorization tests walk them all).
func Routes(app *core.App) []string {
	rt := twilioapi.NewRoutes(http.NewServeMux())
	register(rt, app, nil, nil, "")
	return rt.Patterns()
}

// URL is the server's base URL.
func (s *Server) URL() string { return "http://" + s.listener.Addr().String() }

// SMTPAddr is the address of the inbound mail listener ("" without one).
func (s *Server) SMTPAddr() string {
	if s.smtp == nil {
		return ""
	}
	return s.smtp.Addr().String()
}

// Shutdown stops accepting requests, lets in-flight requests and jobs
// finish (until ctx ends; unfinished jobs run after the next start) and
// closes the store.
func (s *Server) Shutdown(ctx context.Context) error {
	err := s.http.Shutdown(ctx)
	if s.smtp != nil {
		err = errors.Join(err, s.smtp.Shutdown(ctx))
	}
	// http.Server.Shutdown leaves hijacked connections alone: close the
	// client SDKs' WebSockets (with 308, so they reconnect) before the store.
	s.sdk.Close()
	s.sdkAPI.Flush()
	for _, ss := range s.side {
		err = errors.Join(err, ss.srv.Shutdown(ctx))
	}
	err = errors.Join(err, s.jobs.Shutdown(ctx))
	// The inspector's last records go to the store before it closes.
	err = errors.Join(err, s.inspector.Close(ctx))
	err = errors.Join(err, s.Store.Close())
	s.events.Close()
	return err
}
