package twilioapi

import (
	"context"
	"log/slog"
	"net/http"
)

type loggerKey struct{}

// WithLogger makes log the logger of every request next serves: the
// server's configured logger reaches error reports without a global.
func WithLogger(log *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		inner := r.WithContext(context.WithValue(r.Context(), loggerKey{}, log))
		next.ServeHTTP(w, inner)
		// A ServeMux below sets the route it matched on the request it was
		// given; hand it back so the request log (outside) names the route.
		if inner.Pattern != "" {
			r.Pattern = inner.Pattern
		}
	})
}

// Logger is the logger WithLogger gave the request of ctx; slog's default
// logger for a handler served without it (tests that mount one surface).
func Logger(ctx context.Context) *slog.Logger {
	if log, ok := ctx.Value(loggerKey{}).(*slog.Logger); ok {
		return log
	}
	return slog.Default()
}
