package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"os"
	"time"

	"github.com/parley-dev/parley/internal/metrics"
	"github.com/parley-dev/parley/internal/store"
	"github.com/parley-dev/parley/internal/twilioapi"
)

// quietRoutes are polled by probes and scrapers: their successful requests
// are logged at debug level, so they do not drown the API's.
var quietRoutes = map[string]bool{"GET /healthz": true, "GET /readyz": true, "GET /metrics": true}

// accountSID names the authenticated account of a request, for its log
// line.
func accountSID(r *http.Request) string {
	if a := twilioapi.Account(r); a != nil {
		return a.SID
	}
	return ""
}

// readyz answers 200 when the store can serve (the database answers and
// every embedded migration is applied), else 503 with the reason. Unlike
// /healthz (the process is up) it fails while the database is away, so a
// load balancer stops sending traffic to this node.
func readyz(db *store.DB) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 5*time.Second)
		defer cancel()
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		if err := db.Ready(ctx); err != nil {
			w.WriteHeader(http.StatusServiceUnavailable)
			fmt.Fprintf(w, "not ready: %v\n", err)
			return
		}
		w.Write([]byte("ready\n"))
	}
}

// sideServer is a listener of its own for metrics or profiles, kept off
// the API's port so it can be bound to a private interface.
type sideServer struct {
	name string // metrics or pprof
	ln   net.Listener
	srv  *http.Server
	mux  *http.ServeMux
}

// listenSide binds the configured metrics and pprof listeners; their
// handlers are mounted by serve once the server exists.
func listenSide(cfg Config) ([]*sideServer, error) {
	var out []*sideServer
	for _, s := range []struct{ name, addr string }{{"metrics", cfg.MetricsAddr}, {"pprof", cfg.PprofAddr}} {
		if s.addr == "" {
			continue
		}
		ln, err := net.Listen("tcp", s.addr)
		if err != nil {
			for _, o := range out {
				o.ln.Close()
			}
			return nil, fmt.Errorf("listen on %s (--%s-addr): %w", s.addr, s.name, err)
		}
		out = append(out, &sideServer{name: s.name, ln: ln, mux: http.NewServeMux()})
	}
	return out, nil
}

// serve mounts the side server's handlers and starts serving.
func (s *sideServer) serve(log *slog.Logger, m *metrics.Metrics) {
	switch s.name {
	case "metrics":
		s.mux.Handle("GET /metrics", m.Handler())
	case "pprof":
		s.mux.HandleFunc("/debug/pprof/", pprof.Index)
		s.mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
		s.mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
		s.mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
		s.mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	}
	s.srv = &http.Server{Handler: s.mux, ReadHeaderTimeout: 10 * time.Second,
		ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn)}
	go func() {
		if err := s.srv.Serve(s.ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Error(s.name+" server stopped", "err", err)
		}
	}()
	log.Info(s.name+" listening", "addr", "http://"+s.ln.Addr().String())
}

// SideAddr is the address the named side listener ("metrics", "pprof") is
// bound to, "" when it is not configured.
func (srv *Server) SideAddr(name string) string {
	for _, s := range srv.side {
		if s.name == name {
			return s.ln.Addr().String()
		}
	}
	return ""
}

// prepareDataDir makes sure the data directory exists and is writable when
// this server keeps anything there (the SQLite file, the master key file),
// so that a read-only or missing directory is reported as what it is.
func (c Config) prepareDataDir() error {
	usesDir := len(c.MasterKey) == 0 || c.DatabaseURL == ""
	if c.DataDir == "" || !usesDir {
		return nil
	}
	if err := os.MkdirAll(c.DataDir, 0o700); err != nil {
		return fmt.Errorf("data dir %s: cannot create it: %w", c.DataDir, err)
	}
	f, err := os.CreateTemp(c.DataDir, ".write-test-*")
	if err != nil {
		return fmt.Errorf("data dir %s not writable: %w", c.DataDir, err)
	}
	f.Close()
	return os.Remove(f.Name())
}
