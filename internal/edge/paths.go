package edge

import (
	"net/http"
	"path"
	"strings"

	parley "github.com/parley-dev/parley"
	"github.com/parley-dev/parley/internal/twilioapi"
)

// CanonicalPaths answers a request whose path is not in canonical form
// ("//", "/./", "/../", a trailing "/.") with Twilio's 404 body. Without it
// http.ServeMux answers such a path with a 307 redirect to the cleaned path,
// before authentication and outside Twilio's error format; Twilio's API has
// no such paths, so there is nothing to redirect to.
func CanonicalPaths(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if p := r.URL.EscapedPath(); r.Method != http.MethodConnect && cleanPath(p) != p {
			twilioapi.WriteError(w, r, parley.Errorf(parley.CodeNotFound, "The requested resource %s was not found", r.URL.Path))
			return
		}
		next.ServeHTTP(w, r)
	})
}

// cleanPath is ServeMux's canonical form of a path: rooted, cleaned, with
// a trailing slash kept.
func cleanPath(p string) string {
	if p == "" {
		return "/"
	}
	if p[0] != '/' {
		p = "/" + p
	}
	np := path.Clean(p)
	if strings.HasSuffix(p, "/") && np != "/" {
		if len(p) == len(np)+1 && strings.HasPrefix(p, np) {
			return p
		}
		np += "/"
	}
	return np
}
