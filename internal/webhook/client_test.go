package webhook

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/parley-dev/parley/internal/egress"
)

func TestDenyPrivate(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer srv.Close()
	r := request{URL: srv.URL, Method: "POST", Params: url.Values{"A": {"1"}}, AuthToken: "t"}
	if _, err := send(context.Background(), newClient(true), r); !errors.Is(err, egress.ErrDenied) {
		t.Errorf("loopback with deny = %v, want %v", err, egress.ErrDenied)
	}
	if resp, err := send(context.Background(), newClient(false), r); err != nil || resp.Status != 200 {
		t.Errorf("loopback allowed = %v %v", resp, err)
	}
}

func TestRedirectsStayOnHost(t *testing.T) {
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer other.Close()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/away":
			http.Redirect(w, r, strings.Replace(other.URL, "127.0.0.1", "localhost", 1), http.StatusFound)
		case "/same":
			http.Redirect(w, r, "/done", http.StatusFound)
		}
	}))
	defer srv.Close()
	c := newClient(false)
	if _, err := send(context.Background(), c, request{URL: srv.URL + "/away", Method: "GET"}); err == nil {
		t.Error("redirect to another host was followed")
	}
	if resp, err := send(context.Background(), c, request{URL: srv.URL + "/same", Method: "GET"}); err != nil || resp.Status != 200 {
		t.Errorf("same-host redirect = %v %v", resp, err)
	}
}

func TestBodyBounded(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(strings.Repeat("x", 3*maxBody)))
	}))
	defer srv.Close()
	resp, err := send(context.Background(), newClient(false), request{URL: srv.URL, Method: "POST"})
	if err != nil || len(resp.Body) != maxBody {
		t.Errorf("read %d bytes (%v), want %d", len(resp.Body), err, maxBody)
	}
}

func TestChatRetryable(t *testing.T) {
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(2 * time.Second):
		}
	}))
	defer slow.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	resp, err := send(ctx, newClient(false), request{URL: slow.URL, Method: "POST"})
	if err == nil || !chatRetryable(resp, err) {
		t.Errorf("timed-out call: err %v, retryable %v", err, chatRetryable(resp, err))
	}
	closed := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	closed.Close()
	resp, err = send(context.Background(), newClient(false), request{URL: closed.URL, Method: "POST"})
	if err == nil || chatRetryable(resp, err) {
		t.Errorf("refused connection: err %v, retryable %v", err, chatRetryable(resp, err))
	}
	for status, want := range map[int]bool{429: true, 503: true, 504: true, 500: false, 502: false, 404: false} {
		if got := chatRetryable(&response{Status: status}, errors.New("HTTP")); got != want {
			t.Errorf("HTTP %d retryable = %v, want %v", status, got, want)
		}
	}
}
