package main

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/parley-dev/parley/internal/apitest"
	"github.com/parley-dev/parley/internal/server"
)

// run runs one parley command to completion.
func run(t *testing.T, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var out, errOut bytes.Buffer
	err = Main(context.Background(), args, func(string) string { return "" }, &out, &errOut)
	return out.String(), errOut.String(), err
}

// get answers GET path with Basic credentials.
func get(t *testing.T, url, user, pass string) int {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	req.SetBasicAuth(user, pass)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// TestTokenAndKeysCommands: parley token and parley keys act on the data of
// a running server, on both engines.
func TestTokenAndKeysCommands(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		dir := t.TempDir()
		store := []string{"--data-dir", dir, "--database-url", apitest.DatabaseURL(t, engine)}
		printed, stop := serveInBackground(t, append([]string{"--addr", "127.0.0.1:0"}, store...), nil)
		defer stop()
		acct := printed["Account SID"]

		out, errOut, err := run(t, append([]string{"token", "--identity", "alice", "--ttl", "2h"}, store...)...)
		if err != nil || !strings.Contains(errOut, "created API key SK") {
			t.Fatalf("token: %v %q", err, errOut)
		}
		claims := jwt.MapClaims{}
		if _, _, err := jwt.NewParser().ParseUnverified(strings.TrimSpace(out), claims); err != nil {
			t.Fatal(err)
		}
		grants, _ := claims["grants"].(map[string]any)
		if claims["sub"] != acct || grants["identity"] != "alice" || grants["chat"] != nil {
			t.Errorf("token claims %v", claims)
		}
		exp, _ := claims.GetExpirationTime()
		if d := time.Until(exp.Time); d < time.Hour || d > 2*time.Hour {
			t.Errorf("--ttl 2h gave a token living %s", d)
		}
		// The token verifies with the server's data.
		op, err := server.OpenOperator(context.Background(), server.Config{DataDir: dir, DatabaseURL: store[3]})
		if err != nil {
			t.Fatal(err)
		}
		defer op.Close()
		if p, err := op.App.VerifyToken(context.Background(), strings.TrimSpace(out)); err != nil || p.Identity != "alice" {
			t.Errorf("verify: %v %v", p, err)
		}
		if _, errOut, err := run(t, append([]string{"token", "--identity", "bob"}, store...)...); err != nil || !strings.Contains(errOut, "signing with API key SK") {
			t.Errorf("second token: %v %q", err, errOut)
		}
		if _, _, err := run(t, append([]string{"token", "--identity", "bob", "--service", "IS00000000000000000000000000000000"}, store...)...); err == nil {
			t.Error("a token for an unknown service was printed")
		}

		out, _, err = run(t, append([]string{"keys", "create", "--name", "ops"}, store...)...)
		if err != nil {
			t.Fatal(err)
		}
		sid, secret := field(out, "Key SID"), field(out, "Secret")
		if get(t, printed["url"]+"/v1/Conversations", sid, secret) != 200 {
			t.Fatalf("the created key does not authenticate: %q", out)
		}
		out, _, err = run(t, append([]string{"keys", "list"}, store...)...)
		if err != nil || !strings.Contains(out, sid) || !strings.Contains(out, "parley token") {
			t.Errorf("list: %v %q", err, out)
		}
		if _, _, err := run(t, append([]string{"keys", "delete", sid}, store...)...); err != nil {
			t.Fatal(err)
		}
		// Another process deleted the key: the server stops honouring it
		// within its credential cache's freshness.
		deadline := time.Now().Add(10 * time.Second)
		for get(t, printed["url"]+"/v1/Conversations", sid, secret) != 401 {
			if time.Now().After(deadline) {
				t.Fatal("the deleted key still authenticates")
			}
			time.Sleep(100 * time.Millisecond)
		}
	})
}

func TestBadIdentityCommandLines(t *testing.T) {
	dir := t.TempDir()
	for _, args := range [][]string{
		{"token"},
		{"token", "--identity", "a", "--ttl", "25h", "--data-dir", dir},
		{"token", "--identity", "a", "--data-dir", dir}, // no server ever ran there
		{"keys"},
		{"keys", "rotate", "--data-dir", dir},
		{"keys", "delete", "--data-dir", dir},
	} {
		if _, _, err := run(t, args...); err == nil {
			t.Errorf("Main(%q) succeeded", args)
		}
	}
}

// field is the value printed after "name:".
func field(out, name string) string {
	for _, line := range strings.Split(out, "\n") {
		if k, v, ok := strings.Cut(line, ":"); ok && k == name {
			return strings.TrimSpace(v)
		}
	}
	return ""
}
