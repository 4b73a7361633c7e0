package twilioapi

import (
	"net/http"
	"net/http/httptest"
	"testing"

	parley "github.com/parley-dev/parley"
)

// TestRoutesWithSurface: a surface's handlers see their surface in the
// caller that authentication put in the context; a caller that already
// names one (the client SDK's) keeps it.
func TestRoutesWithSurface(t *testing.T) {
	mux := http.NewServeMux()
	rt := NewRoutes(mux)
	var seen string
	record := func(w http.ResponseWriter, r *http.Request) error {
		seen = parley.CallerFrom(r.Context()).Surface
		return nil
	}
	rt.WithSurface(parley.SurfaceConversations).Handle("GET", "/v1/x", record)
	rt.WithErrors(func(err error) error { return err }).WithSurface(parley.SurfaceChat).Handle("GET", "/v2/x", record)
	for _, tc := range []struct{ path, had, want string }{
		{"/v1/x", "", parley.SurfaceConversations},
		{"/v2/x", "", parley.SurfaceChat},
		{"/v1/x", parley.SurfaceClient, parley.SurfaceClient},
	} {
		caller := &parley.Caller{Principal: &parley.Principal{}, Surface: tc.had, Source: parley.SourceAPI}
		r := httptest.NewRequest("GET", tc.path, nil)
		mux.ServeHTTP(httptest.NewRecorder(), r.WithContext(parley.WithCaller(r.Context(), caller)))
		if seen != tc.want || caller.Surface != tc.had {
			t.Errorf("%s with surface %q: handler saw %q, want %q (the original caller now says %q)", tc.path, tc.had, seen, tc.want, caller.Surface)
		}
	}
}
