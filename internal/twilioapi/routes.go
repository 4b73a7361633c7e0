package twilioapi

import (
	"net/http"
	"slices"

	parley "github.com/parley-dev/parley"
)

// Routes is one product surface's route table over a ServeMux. Every path it
// knows answers an unsupported method with Twilio's 405 body.
type Routes struct {
	mux      *http.ServeMux
	known    map[string]bool
	patterns *[]string // "METHOD /path" in registration order, shared by copies
	// translate, when set, rewrites every error the surface's handlers
	// return (Chat answers its own codes).
	translate func(error) error
	// surface, when set, is the Surface of the callers of its handlers.
	surface string
}

// NewRoutes returns a route table registering on mux.
func NewRoutes(mux *http.ServeMux) *Routes {
	return &Routes{mux: mux, known: map[string]bool{}, patterns: new([]string)}
}

// WithErrors returns a route table on the same mux whose handlers' errors
// pass through translate before they are written.
func (rt *Routes) WithErrors(translate func(error) error) *Routes {
	c := *rt
	c.translate = translate
	return &c
}

// WithSurface returns a route table on the same mux whose handlers see
// surface (parley.SurfaceConversations, parley.SurfaceChat) in their
// request's Caller, so core knows which API a REST caller came through.
func (rt *Routes) WithSurface(surface string) *Routes {
	c := *rt
	c.surface = surface
	return &c
}

// Handle registers h for method and path (a Go 1.22 pattern without method).
func (rt *Routes) Handle(method, path string, h HandlerFunc) {
	if translate := rt.translate; translate != nil {
		inner := h
		h = func(w http.ResponseWriter, r *http.Request) error {
			if err := inner(w, r); err != nil {
				return translate(err)
			}
			return nil
		}
	}
	if surface := rt.surface; surface != "" {
		inner := h
		h = func(w http.ResponseWriter, r *http.Request) error {
			if c := parley.CallerFrom(r.Context()); c != nil && c.Surface == "" {
				withSurface := *c
				withSurface.Surface = surface
				r = r.WithContext(parley.WithCaller(r.Context(), &withSurface))
			}
			return inner(w, r)
		}
	}
	rt.mux.Handle(method+" "+path, h)
	*rt.patterns = append(*rt.patterns, method+" "+path)
	if !rt.known[path] {
		rt.known[path] = true
		rt.mux.Handle(path, HandlerFunc(methodNotAllowed))
	}
}

func methodNotAllowed(w http.ResponseWriter, r *http.Request) error {
	return parley.Errorf(parley.CodeMethodNotAllowed, "Method %s not allowed for %s", r.Method, r.URL.Path)
}

// NotFound answers any path no surface knows.
func NotFound(w http.ResponseWriter, r *http.Request) error {
	return parley.Errorf(parley.CodeNotFound, "The requested resource %s was not found", r.URL.Path)
}

// Patterns lists every registered route as "METHOD /path/{Wildcard}", so a
// test can cover each route, including ones added later.
func (rt *Routes) Patterns() []string { return slices.Clone(*rt.patterns) }
