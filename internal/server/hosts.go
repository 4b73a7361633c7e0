package server

import (
	"net/http"
	"strings"

	parley "github.com/parley-dev/parley"
	"github.com/parley-dev/parley/internal/api/messaging"
	"github.com/parley-dev/parley/internal/twilioapi"
)

// routeByHost routes a request whose Host names a Twilio product to that
// product whatever its path, so a client that keeps Twilio's Host header
// and only changes where it connects reaches the product it called
// (DESIGN decision 3):
//   - messaging.*: the Messaging surface (its /v1/Services would otherwise
//     be Conversations');
//   - chat.* and ip-messaging.*: Programmable Chat, which Parley serves as
//     v2 and v3 only; a v1 path there is Chat v1, not Conversations, and is
//     refused rather than answered by the wrong product;
//   - conversations.*: Conversations v1 only.
//
// Other hosts (Parley's own address) route by path alone.
func routeByHost(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		host, path := r.Host, r.URL.Path
		switch {
		case strings.HasPrefix(host, "messaging."):
			if !strings.HasPrefix(path, messaging.Prefix+"/") {
				r = r.Clone(r.Context())
				r.URL.Path = messaging.Prefix + path
				r.URL.RawPath = ""
			}
		case strings.HasPrefix(host, "chat.") || strings.HasPrefix(host, "ip-messaging."):
			if !strings.HasPrefix(path, "/v2/") && !strings.HasPrefix(path, "/v3/") {
				notServed(w, r, "Programmable Chat is served as v2 and v3; "+path+" is not")
				return
			}
		case strings.HasPrefix(host, "conversations."):
			if !strings.HasPrefix(path, "/v1/") {
				notServed(w, r, "Conversations is served as v1; "+path+" is not")
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

// notServed answers Twilio's 404 for a path the Host's product lacks.
func notServed(w http.ResponseWriter, r *http.Request, why string) {
	twilioapi.WriteError(w, r, parley.Errorf(parley.CodeNotFound, "The requested resource %s was not found: %s", r.URL.Path, why))
}
