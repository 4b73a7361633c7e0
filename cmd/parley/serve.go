package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strconv"

	parley "github.com/parley-dev/parley"
	"time"

	"github.com/parley-dev/parley/internal/secrets"
	"github.com/parley-dev/parley/internal/server"
)

// shutdownGrace bounds how long in-flight requests may finish after SIGTERM.
const shutdownGrace = 15 * time.Second

// setting is one flag with its PARLEY_* environment twin; the flag wins.
type setting struct {
	flag, env, def, help string
	target               *string
}

func serve(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cfg, err := parseServeFlags(args, getenv, stderr)
	if err != nil {
		return err
	}
	cfg.Logger = slog.New(slog.NewTextHandler(stderr, nil))
	srv, err := server.Start(ctx, cfg)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Parley is listening on %s (%s store)\n", srv.URL(), srv.Store.Engine())
	fmt.Fprintf(stdout, "Account SID: %s\n", srv.Account.SID)
	if srv.AccountCreated || cfg.AuthToken != "" {
		fmt.Fprintf(stdout, "Auth token:  %s\n", srv.Account.AuthToken)
	} else {
		fmt.Fprintln(stdout, "Auth token:  (unchanged; shown at first start, or set PARLEY_AUTH_TOKEN)")
	}
	if cfg.Clock == server.ClockVirtual {
		fmt.Fprintf(stdout, "Clock: virtual, at %s; move it with POST /parley/v1/Clock (Advance=PT15M or Time=<RFC 3339>)\n",
			srv.Clock.Now().Format(time.RFC3339Nano))
	}
	fmt.Fprintf(stdout, "Default Conversation Service: %s\n", srv.Account.DefaultServiceSID)
	<-ctx.Done()
	cfg.Logger.Info("shutting down: draining in-flight requests")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	return srv.Shutdown(shutdownCtx)
}

func parseServeFlags(args []string, getenv func(string) string, stderr io.Writer) (server.Config, error) {
	var cfg server.Config
	var maxConns, stmtTimeout, masterKey, denyPrivate, jobLease string
	settings := []setting{
		{"addr", "PARLEY_ADDR", "127.0.0.1:8080", "listen address", &cfg.Addr},
		{"data-dir", "PARLEY_DATA_DIR", "./parley-data", "directory for the embedded SQLite database", &cfg.DataDir},
		{"database-url", "PARLEY_DATABASE_URL", "", "database: a SQLite file path or postgres://user@host:port/db (default: <data-dir>/parley.db)", &cfg.DatabaseURL},
		{"public-url", "PARLEY_PUBLIC_URL", "", "base of absolute URLs in responses (default: derived from each request)", &cfg.PublicURL},
		{"account-sid", "PARLEY_ACCOUNT_SID", "", "fix the account SID (AC + 32 hex digits)", &cfg.AccountSID},
		{"auth-token", "PARLEY_AUTH_TOKEN", "", "fix the account's auth token", &cfg.AuthToken},
		{"db-max-conns", "PARLEY_DB_MAX_CONNS", "10", "database connection pool size", &maxConns},
		{"db-statement-timeout", "PARLEY_DB_STATEMENT_TIMEOUT", "30s", "PostgreSQL statement timeout", &stmtTimeout},
		{"webhook-deny-private", "PARLEY_WEBHOOK_DENY_PRIVATE", "false", "refuse webhook URLs that resolve to loopback, private or link-local addresses", &denyPrivate},
		{"node-id", "PARLEY_NODE_ID", "", "this node's name among those sharing a database; a restart takes back its jobs at once (default: kept in <data-dir>/node-id)", &cfg.NodeID},
		{"job-lease", "PARLEY_JOB_LEASE", "5s", "how long a claimed job (a webhook delivery, a timer) stays with a node that stops renewing it", &jobLease},
		{"clock", "PARLEY_CLOCK", "real", "real, or virtual: time stands still until POST /parley/v1/Clock moves it (timers, tests, demos)", &cfg.Clock},
	}
	var limits limitFlags
	settings = append(settings, limits.settings()...)
	fs := flag.NewFlagSet("parley serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	for _, s := range settings {
		def := s.def
		if v := getenv(s.env); v != "" {
			def = v
		}
		fs.StringVar(s.target, s.flag, def, s.help+" ($"+s.env+")")
	}
	// The master key's environment value is not shown as the flag default,
	// so -h never prints it.
	fs.StringVar(&masterKey, "master-key", "", "32-byte key (hex or base64) sealing secrets at rest (default: <data-dir>/master.key, created on first start) ($PARLEY_MASTER_KEY)")
	if err := fs.Parse(args); err != nil {
		return cfg, err
	}
	key, err := parseMasterKey(masterKey, getenv)
	if err != nil {
		return cfg, err
	}
	cfg.MasterKey = key
	if fs.NArg() > 0 {
		return cfg, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	if _, err := fmt.Sscan(maxConns, &cfg.DBMaxConns); err != nil || cfg.DBMaxConns < 1 {
		return cfg, fmt.Errorf("--db-max-conns: want a positive number, got %q", maxConns)
	}
	d, err := time.ParseDuration(stmtTimeout)
	if err != nil {
		return cfg, fmt.Errorf("--db-statement-timeout: %v", err)
	}
	cfg.DBStatementTimeout = d
	if cfg.JobLease, err = time.ParseDuration(jobLease); err != nil || cfg.JobLease < time.Second {
		return cfg, fmt.Errorf("--job-lease: want a duration of at least 1s, got %q", jobLease)
	}
	if cfg.WebhookDenyPrivate, err = strconv.ParseBool(denyPrivate); err != nil {
		return cfg, fmt.Errorf("--webhook-deny-private: want true or false, got %q", denyPrivate)
	}
	if cfg.Clock != server.ClockReal && cfg.Clock != server.ClockVirtual {
		return cfg, fmt.Errorf("--clock: want real or virtual, got %q", cfg.Clock)
	}
	if cfg.AccountSID != "" && !parley.IsSID(cfg.AccountSID, parley.PrefixAccount) {
		return cfg, fmt.Errorf("--account-sid: want AC followed by 32 hex digits, got %q", cfg.AccountSID)
	}
	if err := limits.apply(&cfg); err != nil {
		return cfg, err
	}
	return cfg, nil
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
