package bench

import (
	"context"
	"crypto/rand"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"runtime/pprof"
	"strings"
	"time"

	parley "github.com/parley-dev/parley"
	"github.com/parley-dev/parley/internal/secrets"
	"github.com/parley-dev/parley/internal/server"
)

// env is everything a bench run talks to: Parley (in-process or a target),
// the floor, and the means to tear both down.
type env struct {
	engine string // the floor's engine, and Parley's when in-process
	parley *endpoint
	floor  *endpoint
	// store and account are set when Parley runs in-process, so scenarios
	// can seed data directly; nil against a target.
	store   parley.Store
	account *parley.Account
	closers []func(context.Context) error
}

// newEnv starts the floor and, unless opt.Target is set, Parley, each over a
// fresh database: a temporary SQLite file, or a new PostgreSQL schema that is
// dropped on close.
func newEnv(ctx context.Context, opt Options) (_ *env, err error) {
	e := &env{}
	defer func() {
		if err != nil {
			e.close()
		}
	}()
	parleyDB, floorDB, err := e.databases(ctx, opt.DatabaseURL)
	if err != nil {
		return nil, err
	}
	// Profiler labels follow the goroutines each server spawns, so a CPU
	// profile of the bench separates them: go tool pprof -tagfocus system=parley.
	pprof.Do(ctx, pprof.Labels("system", "floor"), func(ctx context.Context) {
		var f *floor
		if f, err = startFloor(ctx, floorDB, maxConns, opt.Conversations); err == nil {
			e.floor = newEndpoint(f.url(), "", "")
			e.closers = append(e.closers, f.close)
		}
	})
	if err != nil {
		return nil, err
	}
	if opt.Target != "" {
		e.parley = newEndpoint(opt.Target, opt.AccountSID, opt.AuthToken)
		return e, nil
	}
	pprof.Do(ctx, pprof.Labels("system", "parley"), func(ctx context.Context) {
		err = e.startParley(ctx, parleyDB)
	})
	return e, err
}

// maxConns is the database pool size of both servers (Parley's default).
const maxConns = 10

func (e *env) startParley(ctx context.Context, dbURL string) error {
	// An in-process Parley lives only as long as the bench: a throwaway
	// master key, so no key file is left anywhere.
	key := make([]byte, secrets.KeySize)
	if _, err := rand.Read(key); err != nil {
		return err
	}
	srv, err := server.Start(ctx, server.Config{Addr: "127.0.0.1:0", DatabaseURL: dbURL, DBMaxConns: maxConns, MasterKey: key,
		DBStatementTimeout: time.Minute, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		return fmt.Errorf("start Parley: %w", err)
	}
	e.closers = append(e.closers, srv.Shutdown)
	e.store, e.account = srv.Store, srv.Account
	e.parley = newEndpoint(srv.URL(), srv.Account.SID, srv.Account.AuthToken)
	return nil
}

// databases picks Parley's and the floor's databases: two files in a new
// temporary directory, or one fresh PostgreSQL schema shared by both (their
// table names differ).
func (e *env) databases(ctx context.Context, dbURL string) (parleyDB, floorDB string, err error) {
	if isPostgres(dbURL) {
		e.engine = "postgres"
		u, err := freshSchema(ctx, dbURL, e)
		return u, u, err
	}
	if dbURL != "" {
		return "", "", fmt.Errorf("--database-url: want a postgres:// URL (SQLite runs on a fresh temporary file), got %q", dbURL)
	}
	e.engine = "sqlite"
	dir, err := os.MkdirTemp("", "parley-bench-")
	if err != nil {
		return "", "", err
	}
	e.closers = append(e.closers, func(context.Context) error { return os.RemoveAll(dir) })
	return filepath.Join(dir, "parley.db"), filepath.Join(dir, "floor.db"), nil
}

// freshSchema creates a new schema and returns base with a search_path that
// selects it; e drops the schema on close.
func freshSchema(ctx context.Context, base string, e *env) (string, error) {
	admin, err := sql.Open("pgx", base)
	if err == nil {
		err = admin.PingContext(ctx)
	}
	if err != nil {
		return "", fmt.Errorf("connect to PostgreSQL: %w", err)
	}
	schema := "parley_bench_" + strings.ToLower(parley.NewSID("")[:16])
	if _, err := admin.ExecContext(ctx, "CREATE SCHEMA "+schema); err != nil {
		admin.Close()
		return "", fmt.Errorf("create schema: %w", err)
	}
	e.closers = append(e.closers, func(ctx context.Context) error {
		_, err := admin.ExecContext(ctx, "DROP SCHEMA "+schema+" CASCADE")
		return errors.Join(err, admin.Close())
	})
	u, err := url.Parse(base)
	if err != nil {
		return "", err
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String(), nil
}

// close stops the servers and removes their data, newest first.
func (e *env) close() error {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	for _, ep := range []*endpoint{e.parley, e.floor} {
		if ep != nil {
			ep.close()
		}
	}
	var errs []error
	for i := len(e.closers) - 1; i >= 0; i-- {
		errs = append(errs, e.closers[i](ctx))
	}
	return errors.Join(errs...)
}
