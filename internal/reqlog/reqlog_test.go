package reqlog_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/parley-dev/parley/internal/reqlog"
)

type observed struct {
	method, route string
	status        int
}

type observer struct{ got []observed }

func (o *observer) ObserveRequest(method, route string, status int, _ time.Duration) {
	o.got = append(o.got, observed{method, route, status})
}

type ctxKey struct{}

// A middleware between Route and the mux may hand the mux a copy of the
// request (as WithContext does); the route is still named.
func TestRouteThroughACopyingMiddleware(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v1/Things/{Sid}", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusCreated) })
	copying := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mux.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), ctxKey{}, 1)))
	})
	var logs bytes.Buffer
	obs := &observer{}
	h := reqlog.Middleware(slog.New(slog.NewJSONHandler(&logs, nil)), obs, nil,
		reqlog.Route(func(*http.Request) string { return "AC1" }, mux, copying))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("POST", "/v1/Things/TH1", nil))

	var line map[string]any
	if err := json.Unmarshal(logs.Bytes(), &line); err != nil {
		t.Fatalf("%v: %s", err, logs.String())
	}
	if line["route"] != "POST /v1/Things/{Sid}" || line["account"] != "AC1" || line["status"] != 201.0 ||
		line["request_id"] != rec.Header().Get(reqlog.Header) {
		t.Errorf("logged %v (response id %s)", line, rec.Header().Get(reqlog.Header))
	}
	if want := (observed{"POST", "POST /v1/Things/{Sid}", 201}); len(obs.got) != 1 || obs.got[0] != want {
		t.Errorf("observed %v, want %v", obs.got, want)
	}
}
