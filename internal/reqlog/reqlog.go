// Package reqlog is the HTTP edge's request record: every response gets a
// Twilio-Request-Id header (RQ and 32 hex digits, as Twilio sends), the
// request context carries the ID to what the request causes (webhook
// deliveries), and each finished request is logged with its method, path,
// route pattern, status, latency, account and ID, and handed to an
// Observer (metrics).
package reqlog

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	parley "github.com/parley-dev/parley"
)

// Header is the response header naming the request. Twilio's API answers
// carry it with an RQ SID, and the helper libraries expose it as response
// metadata (twilio-go's client/metadata package reads this header).
const Header = "Twilio-Request-Id"

// Observer is told about every finished request.
type Observer interface {
	ObserveRequest(method, route string, status int, took time.Duration)
}

// record is what inner handlers learn about a request for its log line;
// the middleware owns it and reads it after the handler returns.
type record struct {
	route   string
	account string
}

type recordKey struct{}

// Middleware wraps the whole server: it assigns the request ID, then logs
// and observes the request once next has answered. obs may be nil.
// Successful requests to a quiet route (probes, scrapes: polled every few
// seconds) are logged at debug level only.
func Middleware(log *slog.Logger, obs Observer, quiet map[string]bool, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		id := parley.NewRequestID()
		w.Header().Set(Header, id)
		rec := &record{}
		ctx := context.WithValue(parley.WithRequestID(r.Context(), id), recordKey{}, rec)
		r = r.WithContext(ctx)
		sw := &statusWriter{ResponseWriter: w}
		defer func() {
			// Also on a panic that escaped every handler (http.ErrAbortHandler):
			// the request is logged, then the panic goes on to net/http.
			took := time.Since(start)
			route := rec.route
			if route == "" {
				route = r.Pattern
			}
			if route == "" {
				route = "unmatched"
			}
			status := sw.status
			if status == 0 {
				status = http.StatusOK // the handler wrote nothing: net/http sends 200
			}
			level := slog.LevelInfo
			switch {
			case status >= 500:
				level = slog.LevelError
			case status < 400 && quiet[route]:
				level = slog.LevelDebug
			}
			log.LogAttrs(r.Context(), level, "request",
				slog.String("method", r.Method), slog.String("path", r.URL.Path), slog.String("route", route),
				slog.Int("status", status), slog.Float64("latency_ms", float64(took.Microseconds())/1000),
				slog.Int64("bytes", sw.bytes), slog.String("account", rec.account), slog.String("request_id", id),
				slog.String("remote", r.RemoteAddr))
			if obs != nil {
				obs.ObserveRequest(r.Method, route, status, took)
			}
		}()
		next.ServeHTTP(sw, r)
	})
}

// Route sits in front of the API's ServeMux, behind the middlewares that
// copy the request (authentication): it notes the account the request
// authenticated as (account(r), "" for none) and the pattern mux matched,
// so the log line and the metrics can name them. next is mux itself or a
// handler that ends in it; when next hands mux a copy of the request, the
// pattern is looked up in mux instead.
func Route(account func(*http.Request) string, mux *http.ServeMux, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec, _ := r.Context().Value(recordKey{}).(*record)
		if rec != nil {
			rec.account = account(r)
			// Read even if the handler panics.
			defer func() {
				rec.route = r.Pattern // ServeMux sets it on the request it is given
				if rec.route == "" {
					_, rec.route = mux.Handler(r)
				}
			}()
		}
		next.ServeHTTP(w, r)
	})
}

// statusWriter remembers the status and size of a response.
type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int64
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += int64(n)
	return n, err
}

// Unwrap lets http.ResponseController reach the connection's writer
// (flushing, deadlines).
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
