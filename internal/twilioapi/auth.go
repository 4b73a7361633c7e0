package twilioapi

import (
	"context"
	"net/http"

	parley "github.com/parley-dev/parley"
)

// Authenticator checks HTTP Basic credentials and returns the account they
// belong to, or a CodeAuthFailed error.
type Authenticator interface {
	Authenticate(ctx context.Context, username, password string) (*parley.Account, error)
}

type accountKey struct{}

// RequireAccount admits only requests with valid Basic credentials and puts
// the authenticated account in the request context.
func RequireAccount(auth Authenticator, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		user, pass, ok := r.BasicAuth()
		if !ok {
			WriteError(w, r, parley.Errorf(parley.CodeAuthFailed, "Authenticate"))
			return
		}
		acct, err := auth.Authenticate(r.Context(), user, pass)
		if err != nil {
			WriteError(w, r, err)
			return
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), accountKey{}, acct)))
	})
}

// Account returns the account RequireAccount authenticated.
func Account(r *http.Request) *parley.Account {
	a, _ := r.Context().Value(accountKey{}).(*parley.Account)
	return a
}
