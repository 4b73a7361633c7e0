package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/parley-dev/parley/internal/edge"
	"github.com/parley-dev/parley/internal/ratelimit"
)

// The limit flags default to the documented values, take their PARLEY_*
// twins, read 0 as "no limit", and refuse nonsense.
func TestLimitFlags(t *testing.T) {
	cfg, _, err := parseServeFlags(nil, func(string) string { return "" }, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := cfg.HTTP, (edge.Config{}).WithDefaults(); got != want {
		t.Errorf("default HTTP limits %+v, want %+v", got, want)
	}
	if got, want := cfg.RateLimit, (ratelimit.Config{PerSecond: ratelimit.DefaultPerSecond, Burst: ratelimit.DefaultBurst}); got != want {
		t.Errorf("default rate limit %+v, want %+v", got, want)
	}
	env := map[string]string{"PARLEY_HTTP_READ_TIMEOUT": "5s", "PARLEY_RATE_LIMIT": "0", "PARLEY_TWILIO_LIMITS": "true"}
	cfg, _, err = parseServeFlags([]string{"--http-idle-timeout", "0", "--http-max-conns", "7"}, func(k string) string { return env[k] }, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.HTTP.ReadTimeout != 5*time.Second || cfg.HTTP.IdleTimeout >= 0 || cfg.HTTP.MaxConns != 7 {
		t.Errorf("HTTP limits %+v", cfg.HTTP)
	}
	if cfg.RateLimit.PerSecond != 0 || !cfg.RateLimit.Twilio {
		t.Errorf("rate limit %+v", cfg.RateLimit)
	}
	for _, args := range [][]string{
		{"--http-read-timeout", "soon"},
		{"--http-write-timeout", "-1s"},
		{"--http-max-conns", "-3"},
		{"--rate-limit", "fast"},
		{"--rate-burst", "0"},
		{"--twilio-limits", "maybe"},
	} {
		if _, _, err := parseServeFlags(args, func(string) string { return "" }, io.Discard); err == nil {
			t.Errorf("%v: no error", args)
		}
	}
}

// docs/operations.md lists every limit flag with its environment twin and
// its default.
func TestLimitFlagsDocumented(t *testing.T) {
	doc, err := os.ReadFile("../../docs/operations.md")
	if err != nil {
		t.Fatal(err)
	}
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	var l limitFlags
	l.register(&envFlags{fs: fs, getenv: func(string) string { return "" }})
	fs.VisitAll(func(f *flag.Flag) {
		// The usage ends with the environment twin: "… ($PARLEY_X)".
		i := strings.LastIndex(f.Usage, "($")
		if i < 0 {
			t.Fatalf("--%s names no environment variable", f.Name)
		}
		env := strings.TrimSuffix(f.Usage[i+2:], ")")
		want := fmt.Sprintf("`--%s` / `%s` | %s |", f.Name, env, f.DefValue)
		if !strings.Contains(string(doc), want) {
			t.Errorf("docs/operations.md lacks the row %q", want)
		}
	})
}
