package parley

import "context"

// PrefixRequest starts a request ID, as in the Twilio-Request-Id header
// Twilio sends on every response (RQ and 32 hex digits).
const PrefixRequest = "RQ"

// NewRequestID returns a fresh request ID.
func NewRequestID() string { return NewSID(PrefixRequest) }

// requestIDKey is the context key of the request ID.
type requestIDKey struct{}

// WithRequestID returns ctx carrying the ID of the HTTP request it serves,
// so what the request causes (log lines, webhook deliveries) can name it.
func WithRequestID(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, requestIDKey{}, id)
}

// RequestID is the request ID ctx carries, or "" outside a request (timers,
// bootstrap).
func RequestID(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey{}).(string)
	return id
}
