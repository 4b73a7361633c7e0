package main

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

// serveInBackground runs `parley serve args...` and returns the lines it
// printed up to the default service, and a stop function returning Main's error.
func serveInBackground(t *testing.T, args []string, env map[string]string) (map[string]string, func() error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- Main(ctx, append([]string{"serve"}, args...), func(k string) string { return env[k] }, pw, io.Discard)
		pw.Close()
	}()
	printed := map[string]string{}
	sc := bufio.NewScanner(pr)
	for sc.Scan() {
		line := sc.Text()
		if k, v, ok := strings.Cut(line, ":"); ok {
			printed[k] = strings.TrimSpace(v)
		}
		if strings.HasPrefix(line, "Parley is listening on ") {
			printed["url"] = strings.Fields(strings.TrimPrefix(line, "Parley is listening on "))[0]
		}
		if strings.HasPrefix(line, "Default Conversation Service") {
			break
		}
	}
	go io.Copy(io.Discard, pr)
	if printed["url"] == "" {
		cancel()
		t.Fatalf("serve printed no address: %v", <-done)
	}
	return printed, func() error {
		cancel()
		select {
		case err := <-done:
			return err
		case <-time.After(20 * time.Second):
			t.Fatal("serve did not stop after its context ended")
			return nil
		}
	}
}

func TestServePrintsCredentialsOnceAndStopsCleanly(t *testing.T) {
	dir := t.TempDir()
	args := []string{"--addr", "127.0.0.1:0", "--data-dir", dir}
	first, stop := serveInBackground(t, args, nil)
	if !strings.HasPrefix(first["Account SID"], "AC") || len(first["Auth token"]) != 32 {
		t.Fatalf("first start printed %v", first)
	}
	resp, err := http.Get(first["url"] + "/healthz")
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("healthz: %v %v", resp, err)
	}
	req, _ := http.NewRequest("GET", first["url"]+"/v1/Conversations", nil)
	req.SetBasicAuth(first["Account SID"], first["Auth token"])
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != 200 {
		t.Fatalf("printed credentials do not authenticate: %v %v", resp, err)
	}
	if err := stop(); err != nil {
		t.Fatalf("graceful stop returned %v", err)
	}

	second, stop := serveInBackground(t, args, nil)
	defer stop()
	if second["Account SID"] != first["Account SID"] {
		t.Errorf("restart changed the account: %s -> %s", first["Account SID"], second["Account SID"])
	}
	if strings.Contains(second["Auth token"], first["Auth token"]) {
		t.Errorf("restart printed the auth token again")
	}
}

func TestServeTakesSettingsFromEnvironment(t *testing.T) {
	env := map[string]string{
		"PARLEY_ADDR":        "127.0.0.1:0",
		"PARLEY_DATA_DIR":    t.TempDir(),
		"PARLEY_ACCOUNT_SID": "AC0123456789abcdef0123456789abcdef",
		"PARLEY_AUTH_TOKEN":  "secret-token",
		"PARLEY_PUBLIC_URL":  "https://conversations.example.com",
	}
	printed, stop := serveInBackground(t, nil, env)
	defer stop()
	if printed["Account SID"] != env["PARLEY_ACCOUNT_SID"] || printed["Auth token"] != env["PARLEY_AUTH_TOKEN"] {
		t.Errorf("printed %v", printed)
	}
	req, _ := http.NewRequest("GET", printed["url"]+"/v1/Configuration", nil)
	req.SetBasicAuth(env["PARLEY_ACCOUNT_SID"], env["PARLEY_AUTH_TOKEN"])
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	if !strings.Contains(string(body), `"url":"https://conversations.example.com/v1/Configuration"`) {
		t.Errorf("PARLEY_PUBLIC_URL not used: %s", body)
	}
}

func TestBadCommandLines(t *testing.T) {
	for _, args := range [][]string{
		nil,
		{"fly"},
		{"serve", "--nope"},
		{"serve", "--account-sid", "ACshort", "--addr", "127.0.0.1:0"},
		{"serve", "--database-url", "mysql://x", "--addr", "127.0.0.1:0", "--data-dir", t.TempDir()},
		{"serve", "--db-max-conns", "0"},
		{"serve", "--clock", "fast"},
		{"serve", "--job-lease", "10ms"},
		{"serve", "--node-id", "a/b", "--addr", "127.0.0.1:0", "--data-dir", t.TempDir()},
	} {
		if err := Main(context.Background(), args, func(string) string { return "" }, io.Discard, io.Discard); err == nil {
			t.Errorf("Main(%q) succeeded", args)
		}
	}
}

// PARLEY_CLOCK=virtual starts the virtual clock, says so, and serves it.
func TestServeVirtualClock(t *testing.T) {
	env := map[string]string{"PARLEY_ADDR": "127.0.0.1:0", "PARLEY_DATA_DIR": t.TempDir(), "PARLEY_CLOCK": "virtual"}
	printed, stop := serveInBackground(t, nil, env)
	defer stop()
	if !strings.HasPrefix(printed["Clock"], "virtual, at ") {
		t.Errorf("serve printed Clock %q", printed["Clock"])
	}
	req, _ := http.NewRequest("POST", printed["url"]+"/parley/v1/Clock", strings.NewReader("Advance=PT1H"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(printed["Account SID"], printed["Auth token"])
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), `"mode":"virtual"`) {
		t.Errorf("POST /parley/v1/Clock = %d %s", resp.StatusCode, body)
	}
}

// PARLEY_DEV=true (--dev) says so and opens the demo page's token endpoint.
func TestServeDevMode(t *testing.T) {
	env := map[string]string{"PARLEY_ADDR": "127.0.0.1:0", "PARLEY_DATA_DIR": t.TempDir(), "PARLEY_DEV": "true"}
	printed, stop := serveInBackground(t, nil, env)
	defer stop()
	if want := "open " + printed["url"] + "/demo and sign in as anyone"; !strings.Contains(printed["Dev mode"], want) {
		t.Errorf("serve printed Dev mode %q, want it to say %q", printed["Dev mode"], want)
	}
	resp, err := http.PostForm(printed["url"]+"/demo/token", map[string][]string{"Identity": {"alice"}})
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), `"identity":"alice"`) {
		t.Errorf("POST /demo/token = %d %s", resp.StatusCode, body)
	}
}
