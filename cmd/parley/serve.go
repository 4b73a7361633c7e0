package main

import (
	"cmp"
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"strings"
	"time"

	parley "github.com/parley-dev/parley"
	"github.com/parley-dev/parley/internal/channel/twilio"
	"github.com/parley-dev/parley/internal/channel/whatsapp"
	"github.com/parley-dev/parley/internal/secrets"
	"github.com/parley-dev/parley/internal/server"
)

// shutdownGrace bounds how long in-flight requests may finish after SIGTERM.
const shutdownGrace = 15 * time.Second

// setting is one string flag with its PARLEY_* environment twin; the flag
// wins. Typed flags (numbers, durations, booleans) use envInt, envDuration
// and envBool.
type setting struct {
	flag, env, def, help string
	target               *string
}

// serveOptions are the serve flags that shape the process rather than the
// server: how it logs.
type serveOptions struct {
	logFormat, logLevel string
}

func serve(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cfg, opt, err := parseServeFlags(args, getenv, stderr)
	if err != nil {
		return err
	}
	if cfg.Logger, err = newLogger(stderr, opt.logFormat, opt.logLevel); err != nil {
		return err
	}
	srv, err := server.Start(ctx, cfg)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Parley is listening on %s (%s store)\n", srv.URL(), srv.Store.Engine())
	fmt.Fprintf(stdout, "Account SID: %s\n", srv.Account.SID)
	switch {
	case srv.AccountCreated:
		fmt.Fprintf(stdout, "Auth token:  %s\n", srv.Account.AuthToken)
	case cfg.AuthToken != "":
		fmt.Fprintf(stdout, "Auth token:  %s (set by --auth-token)\n", srv.Account.AuthToken)
	default:
		fmt.Fprintln(stdout, "Auth token:  (not shown again: `parley accounts show` prints it, `parley accounts reset-token` replaces it)")
	}
	if cfg.Clock == server.ClockVirtual {
		fmt.Fprintf(stdout, "Clock: virtual, at %s; move it with POST /parley/v1/Clock (Advance=PT15M or Time=<RFC 3339>)\n",
			srv.Clock.Now().Format(time.RFC3339Nano))
	}
	if addr := srv.SideAddr("metrics"); addr != "" {
		fmt.Fprintf(stdout, "Metrics: http://%s/metrics\n", addr)
	} else if cfg.Metrics {
		fmt.Fprintf(stdout, "Metrics: %s/metrics\n", srv.URL())
	}
	if addr := srv.SideAddr("pprof"); addr != "" {
		fmt.Fprintf(stdout, "Profiles: http://%s/debug/pprof/\n", addr)
	}
	if cfg.Dev {
		fmt.Fprintf(stdout, "Dev mode: open %s/demo and sign in as anyone (POST /demo/token mints tokens without credentials)\n", srv.URL())
	}
	fmt.Fprintf(stdout, "Default Conversation Service: %s\n", srv.Account.DefaultServiceSID)
	printChannels(stdout, cfg, srv.URL())
	<-ctx.Done()
	cfg.Logger.Info("shutting down: draining in-flight requests")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	return srv.Shutdown(shutdownCtx)
}

func parseServeFlags(args []string, getenv func(string) string, stderr io.Writer) (server.Config, serveOptions, error) {
	var cfg server.Config
	var opt serveOptions
	var masterKey string
	settings := []setting{
		{"addr", "PARLEY_ADDR", "127.0.0.1:8080", "listen address", &cfg.Addr},
		{"data-dir", "PARLEY_DATA_DIR", "./parley-data", "directory for the embedded SQLite database and the master key file", &cfg.DataDir},
		{"database-url", "PARLEY_DATABASE_URL", "", "database: a SQLite file path or postgres://user@host:port/db (default: <data-dir>/parley.db)", &cfg.DatabaseURL},
		{"public-url", "PARLEY_PUBLIC_URL", "", "base of absolute URLs in responses (default: derived from each request)", &cfg.PublicURL},
		{"account-sid", "PARLEY_ACCOUNT_SID", "", "fix the account SID (AC + 32 hex digits); a new SID creates that account", &cfg.AccountSID},
		{"auth-token", "PARLEY_AUTH_TOKEN", "", "set the account's auth token: on a new account, or replacing an existing account's token", &cfg.AuthToken},
		{"media-dir", "PARLEY_MEDIA_DIR", "", "directory for uploaded media files (default: <data-dir>/media)", &cfg.MediaDir},
		{"node-id", "PARLEY_NODE_ID", "", "this node's name among those sharing a database; a restart takes back its jobs at once (default: kept in <data-dir>/node-id)", &cfg.NodeID},
		{"clock", "PARLEY_CLOCK", "real", "real, or virtual: time stands still until POST /parley/v1/Clock moves it (timers, tests, demos)", &cfg.Clock},
		{"log-format", "PARLEY_LOG_FORMAT", "text", "log format: text (key=value) or json (one object per line)", &opt.logFormat},
		{"log-level", "PARLEY_LOG_LEVEL", "info", "least severe log level written: debug, info, warn or error", &opt.logLevel},
		{"metrics-addr", "PARLEY_METRICS_ADDR", "", "serve Prometheus /metrics on this address of its own (default: off; see --metrics)", &cfg.MetricsAddr},
		{"pprof-addr", "PARLEY_PPROF_ADDR", "", "serve Go profiles (/debug/pprof/) on this address (default: off; keep it private)", &cfg.PprofAddr},
		{"push-fcm-url", "PARLEY_PUSH_FCM_URL", "", "FCM's base URL (default: https://fcm.googleapis.com)", &cfg.PushFCMURL},
		{"push-apns-url", "PARLEY_PUSH_APNS_URL", "", "APNs' production base URL (default: https://api.push.apple.com)", &cfg.PushAPNsURL},
		{"push-apns-sandbox-url", "PARLEY_PUSH_APNS_SANDBOX_URL", "", "APNs' sandbox base URL (default: https://api.sandbox.push.apple.com)", &cfg.PushAPNsSandboxURL},
		{"push-ca-file", "PARLEY_PUSH_CA_FILE", "", "PEM file of extra roots trusted for FCM and APNs (a TLS-inspecting proxy)", &cfg.PushCAFile},
		{"channel-sms", "PARLEY_CHANNEL_SMS", server.ChannelSimulator, "SMS participants' adapter: simulator or twilio", &cfg.ChannelSMS},
		{"channel-whatsapp", "PARLEY_CHANNEL_WHATSAPP", server.ChannelSimulator, "WhatsApp participants' adapter: simulator, twilio or whatsapp-cloud", &cfg.ChannelWhatsApp},
		{"channel-email", "PARLEY_CHANNEL_EMAIL", server.ChannelSimulator, "email participants' adapter: simulator or smtp", &cfg.ChannelEmail},
		{"smtp-url", "PARLEY_SMTP_URL", "", "the SMTP server the smtp channel sends through: smtp://host:port, smtp+starttls://… or smtps://…, with user:password@ for AUTH", &cfg.Email.URL},
		{"smtp-listen", "PARLEY_SMTP_LISTEN", "", "take inbound mail to the account's email addresses over SMTP on this address (default: off)", &cfg.SMTPListen},
		{"twilio-account-sid", "PARLEY_TWILIO_ACCOUNT_SID", "", "the Twilio account the twilio channel sends from", &cfg.Twilio.AccountSID},
		{"twilio-auth-token", "PARLEY_TWILIO_AUTH_TOKEN", "", "its auth token: checks Twilio's webhook signatures, and authenticates sends without an API key", &cfg.Twilio.AuthToken},
		{"twilio-api-key-sid", "PARLEY_TWILIO_API_KEY_SID", "", "an API key (SK…) to send with instead of the auth token", &cfg.Twilio.APIKeySID},
		{"twilio-api-key-secret", "PARLEY_TWILIO_API_KEY_SECRET", "", "the API key's secret", &cfg.Twilio.APIKeySecret},
		{"twilio-messaging-service-sid", "PARLEY_TWILIO_MESSAGING_SERVICE_SID", "", "a Twilio Messaging Service (MG…) every send goes through", &cfg.Twilio.MessagingServiceSID},
		{"twilio-api-base", "PARLEY_TWILIO_API_BASE", twilio.DefaultAPIBase, "Twilio's REST API base URL", &cfg.Twilio.APIBase},
		{"whatsapp-token", "PARLEY_WHATSAPP_TOKEN", "", "WhatsApp Cloud API access token", &cfg.WhatsApp.Token},
		{"whatsapp-phone-number-id", "PARLEY_WHATSAPP_PHONE_NUMBER_ID", "", "WhatsApp business phone number ID messages are sent from", &cfg.WhatsApp.PhoneNumberID},
		{"whatsapp-app-secret", "PARLEY_WHATSAPP_APP_SECRET", "", "Meta app secret: checks X-Hub-Signature-256 of webhook notifications", &cfg.WhatsApp.AppSecret},
		{"whatsapp-verify-token", "PARLEY_WHATSAPP_VERIFY_TOKEN", "", "the verify token of the webhook subscription handshake", &cfg.WhatsApp.VerifyToken},
		{"whatsapp-api-base", "PARLEY_WHATSAPP_API_BASE", whatsapp.DefaultAPIBase, "Meta's Graph API base URL", &cfg.WhatsApp.APIBase},
		{"whatsapp-api-version", "PARLEY_WHATSAPP_API_VERSION", whatsapp.DefaultVersion, "Graph API version", &cfg.WhatsApp.Version},
		{"whatsapp-templates", "PARLEY_WHATSAPP_TEMPLATES", "", "content templates: comma-separated HX…=template_name:language, e.g. HX…=order_update:en_US", &cfg.WhatsApp.Templates},
	}
	fs := flag.NewFlagSet("parley serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	for _, s := range settings {
		def := s.def
		if v := getenv(s.env); v != "" {
			def = v
		}
		fs.StringVar(s.target, s.flag, def, s.help+" ($"+s.env+")")
	}
	// -h shows flag defaults, which come from the environment: never print
	// the auth token, or a database URL's password, that way.
	fs.Lookup("auth-token").DefValue = ""
	fs.Lookup("database-url").DefValue = ""
	for _, secret := range []string{"twilio-auth-token", "twilio-api-key-secret", "whatsapp-token", "whatsapp-app-secret", "whatsapp-verify-token", "smtp-url"} {
		fs.Lookup(secret).DefValue = ""
	}
	env := envFlags{fs: fs, getenv: getenv}
	env.Int(&cfg.DBMaxConns, "db-max-conns", "PARLEY_DB_MAX_CONNS", 10, "database connections (SQLite: readers beside the writer; PostgreSQL: in all, one of them the writer's)")
	env.Duration(&cfg.DBStatementTimeout, "db-statement-timeout", "PARLEY_DB_STATEMENT_TIMEOUT", 30*time.Second, "PostgreSQL statement timeout")
	env.Duration(&cfg.JobLease, "job-lease", "PARLEY_JOB_LEASE", 5*time.Second, "how long a claimed job (a webhook delivery, a timer) stays with a node that stops renewing it")
	env.Bool(&cfg.WebhookDenyPrivate, "webhook-deny-private", "PARLEY_WEBHOOK_DENY_PRIVATE", false, "refuse webhook URLs that resolve to loopback, private or link-local addresses")
	env.Bool(&cfg.Metrics, "metrics", "PARLEY_METRICS", false, "serve Prometheus /metrics on the main listener, without credentials")
	env.Bool(&cfg.Dev, "dev", "PARLEY_DEV", false, "dev mode: the /demo page's token endpoint hands out access tokens for any identity without credentials (your own machine only)")
	var limits limitFlags
	limits.register(&env)
	// The master key's environment value is not shown as the flag default,
	// so -h never prints it.
	fs.StringVar(&masterKey, "master-key", "", "32-byte key (hex or base64) sealing secrets at rest (default: <data-dir>/master.key, created on first start) ($PARLEY_MASTER_KEY)")
	if err := fs.Parse(args); err != nil {
		return cfg, opt, err
	}
	if env.err != nil {
		return cfg, opt, env.err
	}
	key, err := parseMasterKey(masterKey, getenv)
	if err != nil {
		return cfg, opt, err
	}
	cfg.MasterKey = key
	if fs.NArg() > 0 {
		return cfg, opt, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	if cfg.DBMaxConns < 1 {
		return cfg, opt, fmt.Errorf("--db-max-conns: want a positive number, got %d", cfg.DBMaxConns)
	}
	if cfg.JobLease < time.Second {
		return cfg, opt, fmt.Errorf("--job-lease: want a duration of at least 1s, got %s", cfg.JobLease)
	}
	if cfg.Clock != server.ClockReal && cfg.Clock != server.ClockVirtual {
		return cfg, opt, fmt.Errorf("--clock: want real or virtual, got %q", cfg.Clock)
	}
	if cfg.AccountSID != "" && !parley.IsSID(cfg.AccountSID, parley.PrefixAccount) {
		return cfg, opt, fmt.Errorf("--account-sid: want AC followed by 32 hex digits, got %q", cfg.AccountSID)
	}
	if err := limits.apply(&cfg); err != nil {
		return cfg, opt, err
	}
	if _, err := newLogger(io.Discard, opt.logFormat, opt.logLevel); err != nil {
		return cfg, opt, err
	}
	return cfg, opt, nil
}

// envFlags registers typed flags whose default comes from a PARLEY_*
// variable; a malformed variable is an error naming it (reported after
// parsing, so -h still works).
type envFlags struct {
	fs     *flag.FlagSet
	getenv func(string) string
	err    error
}

func (e *envFlags) Int(target *int, name, env string, def int, help string) {
	e.fs.IntVar(target, name, envDefault(e, env, def, strconv.Atoi, "a whole number"), help+" ($"+env+")")
}

func (e *envFlags) Duration(target *time.Duration, name, env string, def time.Duration, help string) {
	e.fs.DurationVar(target, name, envDefault(e, env, def, time.ParseDuration, "a duration such as 30s"), help+" ($"+env+")")
}

func (e *envFlags) Bool(target *bool, name, env string, def bool, help string) {
	e.fs.BoolVar(target, name, envDefault(e, env, def, strconv.ParseBool, "true or false"), help+" ($"+env+")")
}

// envDefault is env's value parsed, def when it is unset; a malformed
// value is remembered as the error and def used.
func envDefault[T any](e *envFlags, env string, def T, parse func(string) (T, error), want string) T {
	v := e.getenv(env)
	if v == "" {
		return def
	}
	parsed, err := parse(v)
	if err != nil {
		e.fail(env, want, v)
		return def
	}
	return parsed
}

func (e *envFlags) fail(env, want, got string) {
	if e.err == nil {
		e.err = fmt.Errorf("$%s: want %s, got %q", env, want, got)
	}
}

// newLogger builds the process's logger from --log-format and --log-level.
func newLogger(w io.Writer, format, level string) (*slog.Logger, error) {
	var lvl slog.Level
	if err := lvl.UnmarshalText([]byte(level)); err != nil {
		return nil, fmt.Errorf("--log-level: want debug, info, warn or error, got %q", level)
	}
	opts := &slog.HandlerOptions{Level: lvl}
	switch format {
	case "text":
		return slog.New(slog.NewTextHandler(w, opts)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	}
	return nil, fmt.Errorf("--log-format: want text or json, got %q", format)
}

// parseMasterKey reads --master-key, else $PARLEY_MASTER_KEY; nil means
// "use the key file in the data directory".
func parseMasterKey(flagValue string, getenv func(string) string) ([]byte, error) {
	if flagValue == "" {
		flagValue = getenv("PARLEY_MASTER_KEY")
	}
	if flagValue == "" {
		return nil, nil
	}
	key, err := secrets.ParseKey(flagValue)
	if err != nil {
		return nil, fmt.Errorf("--master-key: %v", err)
	}
	return key, nil
}

// printChannels says which adapter each channel uses and, for real ones,
// the webhook URLs to give the provider.
func printChannels(stdout io.Writer, cfg server.Config, listenURL string) {
	sms, wa := cmp.Or(cfg.ChannelSMS, server.ChannelSimulator), cmp.Or(cfg.ChannelWhatsApp, server.ChannelSimulator)
	fmt.Fprintf(stdout, "Channels: SMS through %s, WhatsApp through %s, email through %s\n", sms, wa,
		cmp.Or(cfg.ChannelEmail, server.ChannelSimulator))
	base := strings.TrimRight(cmp.Or(cfg.PublicURL, listenURL), "/")
	if sms == server.ChannelTwilio || wa == server.ChannelTwilio {
		fmt.Fprintf(stdout, "Twilio incoming-message webhook: %s%s\n", base, twilio.InboundPath)
	}
	if wa == server.ChannelWhatsAppCloud {
		fmt.Fprintf(stdout, "WhatsApp webhook callback URL: %s%s\n", base, whatsapp.WebhookPath)
	}
	if (sms != server.ChannelSimulator || wa != server.ChannelSimulator) && cfg.PublicURL == "" {
		fmt.Fprintln(stdout, "Set --public-url to the address Twilio or Meta reach: webhook signatures are checked against it")
	}
}
