package twilioapi

import (
	"context"
	"net/http"
	"strings"

	parley "github.com/parley-dev/parley"
)

// Authenticator checks HTTP Basic credentials (an account's auth token or
// an API key's secret) and returns who they act as, or a Twilio error
// (20003, or 20005 for a suspended account).
type Authenticator interface {
	Authenticate(ctx context.Context, username, password string) (*parley.Principal, error)
}

type principalKey struct{}

// RequireAccount admits only requests with valid Basic credentials and puts
// the authenticated principal in the request context.
func RequireAccount(auth Authenticator, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		user, pass, ok := r.BasicAuth()
		if !ok {
			WriteError(w, r, parley.Errorf(parley.CodeAuthFailed, "Authenticate"))
			return
		}
		p, err := auth.Authenticate(r.Context(), user, pass)
		if err != nil {
			WriteError(w, r, err)
			return
		}
		ctx := context.WithValue(r.Context(), principalKey{}, p)
		// REST callers act with the account's authority: the caller value
		// says so to core (source API, no role checks), with whether the
		// request asked for webhooks: Twilio fires them for REST actions
		// only when X-Twilio-Webhook-Enabled is "true"
		// (https://www.twilio.com/docs/conversations/conversations-webhooks).
		webhooks := strings.EqualFold(strings.TrimSpace(r.Header.Get("X-Twilio-Webhook-Enabled")), "true")
		ctx = parley.WithCaller(ctx, &parley.Caller{Principal: p, Source: parley.SourceAPI, Webhooks: webhooks})
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// Principal returns who RequireAccount authenticated.
func Principal(r *http.Request) *parley.Principal {
	p, _ := r.Context().Value(principalKey{}).(*parley.Principal)
	return p
}

// Account returns the account RequireAccount authenticated.
func Account(r *http.Request) *parley.Account {
	if p := Principal(r); p != nil {
		return p.Account
	}
	return nil
}
