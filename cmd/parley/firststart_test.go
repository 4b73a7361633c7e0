package main

import (
	"bytes"
	"context"
	"io"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

func runMain(t *testing.T, env map[string]string, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var out, errOut bytes.Buffer
	err = Main(context.Background(), args, func(k string) string { return env[k] }, &out, &errOut)
	return out.String(), errOut.String(), err
}

// A start that cannot listen creates nothing: no database, no account
// whose token nobody saw, no key file.
func TestFailedListenCreatesNothing(t *testing.T) {
	taken, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer taken.Close()
	dir := filepath.Join(t.TempDir(), "data")
	_, _, err = runMain(t, nil, "serve", "--addr", taken.Addr().String(), "--data-dir", dir)
	if err == nil || !strings.HasPrefix(err.Error(), "listen on "+taken.Addr().String()) {
		t.Fatalf("serve on a taken port: %v", err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) > 0 {
		t.Errorf("the failed start left %d files in the data dir", len(entries))
	}
	// The next start that can listen is a first start: it shows the token.
	printed, stop := serveInBackground(t, []string{"--addr", "127.0.0.1:0", "--data-dir", dir}, nil)
	defer stop()
	if len(printed["Auth token"]) != 32 {
		t.Errorf("the first successful start printed token %q", printed["Auth token"])
	}
}

// `parley accounts show` prints what the first start printed; reset-token
// replaces it, and a restarted server takes only the new one.
func TestAccountsShowAndResetToken(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"PARLEY_DATA_DIR": dir}
	if _, _, err := runMain(t, env, "accounts", "show"); err == nil || !strings.Contains(err.Error(), "no database") {
		t.Fatalf("accounts show before any start: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "parley.db")); err == nil {
		t.Fatal("accounts show created a database")
	}
	first, stop := serveInBackground(t, []string{"--addr", "127.0.0.1:0", "--data-dir", dir}, nil)
	stop()
	out, _, err := runMain(t, env, "accounts", "show")
	if err != nil || !strings.Contains(out, "Account SID: "+first["Account SID"]) || !strings.Contains(out, "Auth token:  "+first["Auth token"]) {
		t.Fatalf("accounts show = %q, %v; first start printed %v", out, err, first)
	}
	out, _, err = runMain(t, nil, "accounts", "reset-token", "--data-dir", dir)
	if err != nil {
		t.Fatal(err)
	}
	token := strings.TrimSpace(strings.TrimPrefix(out[strings.Index(out, "Auth token:"):], "Auth token:"))
	if len(token) != 32 || token == first["Auth token"] {
		t.Fatalf("reset-token printed %q", out)
	}
	again, stop := serveInBackground(t, []string{"--addr", "127.0.0.1:0", "--data-dir", dir}, nil)
	defer stop()
	if !strings.Contains(again["Auth token"], "parley accounts show") {
		t.Errorf("a later start says %q about the token", again["Auth token"])
	}
	if got := get(t, again["url"]+"/v1/Conversations", first["Account SID"], token); got != 200 {
		t.Errorf("the new token answers %d", got)
	}
	if got := get(t, again["url"]+"/v1/Conversations", first["Account SID"], first["Auth token"]); got != 401 {
		t.Errorf("the old token answers %d", got)
	}
}

// --auth-token on a later start applies: it replaces the token.
func TestAuthTokenOnLaterStartRotates(t *testing.T) {
	dir := t.TempDir()
	args := []string{"--addr", "127.0.0.1:0", "--data-dir", dir}
	first, stop := serveInBackground(t, args, nil)
	stop()
	const token = "0123456789abcdef0123456789abcdef"
	second, stop := serveInBackground(t, append(args, "--auth-token", token), nil)
	defer stop()
	if second["Account SID"] != first["Account SID"] || second["Auth token"] != token+" (set by --auth-token)" {
		t.Fatalf("second start printed %v", second)
	}
	if got := get(t, second["url"]+"/v1/Conversations", first["Account SID"], token); got != 200 {
		t.Errorf("--auth-token was not applied: %d", got)
	}
	if got := get(t, second["url"]+"/v1/Conversations", first["Account SID"], first["Auth token"]); got != 401 {
		t.Errorf("the replaced token still answers %d", got)
	}
}

func TestHelpExitsZero(t *testing.T) {
	for _, args := range [][]string{
		{"help"}, {"--help"}, {"-h"},
		{"serve", "--help"}, {"serve", "-h"},
		{"bench", "--help"},
		{"accounts", "--help"}, {"accounts", "show", "--help"}, {"accounts", "reset-token", "-h"},
		{"version", "--help"},
	} {
		out, errOut, err := runMain(t, nil, args...)
		if err != nil {
			t.Errorf("%q: %v", args, err)
		}
		if !strings.Contains(out+errOut, "usage") && !strings.Contains(out+errOut, "Usage") {
			t.Errorf("%q printed no usage:\n%s%s", args, out, errOut)
		}
	}
}

func TestTypedFlags(t *testing.T) {
	getenv := func(env map[string]string) func(string) string { return func(k string) string { return env[k] } }
	cfg, _, err := parseServeFlags([]string{"--webhook-deny-private", "--metrics", "--db-max-conns", "3"}, getenv(nil), io.Discard)
	if err != nil || !cfg.WebhookDenyPrivate || !cfg.Metrics || cfg.DBMaxConns != 3 {
		t.Fatalf("bare boolean flags: %+v, %v", cfg, err)
	}
	for _, c := range []struct {
		args []string
		env  map[string]string
		want string
	}{
		{[]string{"--db-max-conns", "ten"}, nil, "invalid value"},
		{[]string{"--db-statement-timeout", "30"}, nil, "invalid value"},
		{[]string{"--webhook-deny-private=maybe"}, nil, "invalid"},
		{nil, map[string]string{"PARLEY_DB_MAX_CONNS": "ten"}, "$PARLEY_DB_MAX_CONNS: want a whole number"},
		{nil, map[string]string{"PARLEY_WEBHOOK_DENY_PRIVATE": "maybe"}, "$PARLEY_WEBHOOK_DENY_PRIVATE: want true or false"},
		{nil, map[string]string{"PARLEY_DB_STATEMENT_TIMEOUT": "30"}, "$PARLEY_DB_STATEMENT_TIMEOUT: want a duration"},
		{[]string{"--log-format", "xml"}, nil, "--log-format"},
		{[]string{"--log-level", "loud"}, nil, "--log-level"},
	} {
		if _, _, err := parseServeFlags(c.args, getenv(c.env), io.Discard); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v %v: %v, want an error containing %q", c.args, c.env, err, c.want)
		}
	}
}

// A data directory that cannot be made says so; it is not a master key
// problem.
func TestDataDirErrorSaysDataDir(t *testing.T) {
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	_, _, err := runMain(t, nil, "serve", "--addr", "127.0.0.1:0", "--data-dir", filepath.Join(file, "data"))
	if err == nil || !strings.HasPrefix(err.Error(), "data dir ") || strings.Contains(err.Error(), "master key") {
		t.Errorf("serve with an impossible data dir: %v", err)
	}
}

func TestVersion(t *testing.T) {
	out, _, err := runMain(t, nil, "version")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"parley ", "module: github.com/parley-dev/parley", "commit: ", "date: ", "go:     " + runtime.Version()} {
		if !strings.Contains(out, want) {
			t.Errorf("version output lacks %q:\n%s", want, out)
		}
	}
	if _, _, err := runMain(t, nil, "version", "extra"); err == nil {
		t.Error("version took an argument")
	}
}

// -h never prints the auth token or database URL taken from the
// environment, yet they still apply.
func TestHelpHidesAuthToken(t *testing.T) {
	env := map[string]string{"PARLEY_AUTH_TOKEN": "0123456789abcdef0123456789abcdef",
		"PARLEY_DATABASE_URL": "postgres://parley:s3cret@db:5432/parley"}
	var help bytes.Buffer
	parseServeFlags([]string{"-h"}, func(k string) string { return env[k] }, &help)
	if strings.Contains(help.String(), env["PARLEY_AUTH_TOKEN"]) || strings.Contains(help.String(), "s3cret") {
		t.Errorf("-h prints a secret:\n%s", help.String())
	}
	cfg, _, err := parseServeFlags(nil, func(k string) string { return env[k] }, io.Discard)
	if err != nil || cfg.AuthToken != env["PARLEY_AUTH_TOKEN"] {
		t.Errorf("token from the environment = %q, %v", cfg.AuthToken, err)
	}
}
