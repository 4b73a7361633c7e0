package twilioapi

import (
	"net/http"
	"strings"
	"time"
)

// Time renders as Twilio does: RFC 3339, UTC, to the second.
type Time struct{ time.Time }

// MarshalJSON implements json.Marshaler.
func (t Time) MarshalJSON() ([]byte, error) {
	return []byte(`"` + t.UTC().Format("2006-01-02T15:04:05Z") + `"`), nil
}

// NewTime wraps t for rendering.
func NewTime(t time.Time) Time { return Time{t} }

// OptTime wraps an optional time; nil renders as null.
func OptTime(t *time.Time) *Time {
	if t == nil {
		return nil
	}
	return &Time{*t}
}

// BaseURL is the scheme and host that absolute URLs in responses start with:
// the configured public URL, else the request's own.
func BaseURL(r *http.Request, publicURL string) string {
	if publicURL != "" {
		return strings.TrimRight(publicURL, "/")
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	if p := r.Header.Get("X-Forwarded-Proto"); p == "https" || p == "http" {
		scheme = p
	}
	return scheme + "://" + r.Host
}
