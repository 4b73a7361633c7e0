package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/parley-dev/parley/internal/apitest"
)

// TestBenchCommand runs "parley bench" with tiny counts on both engines, as
// CI does on every change: a bench that fails on a clean tree is caught here.
func TestBenchCommand(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		var dbArgs []string
		if engine == "postgres" {
			dbArgs = []string{"--database-url", apitest.PostgresURL(t)}
		}
		checkBenchCommand(t, engine, dbArgs)
	})
}

func checkBenchCommand(t *testing.T, engine string, dbArgs []string) {
	jsonPath := filepath.Join(t.TempDir(), "bench.json")
	var stdout, stderr bytes.Buffer
	args := append([]string{"bench", "--count", "3", "--warmup", "0s", "--rounds", "1", "--concurrency", "1,2",
		"--spread-concurrency", "2", "--conversations", "2", "--create-concurrency", "2", "--depth", "60",
		"--memory-messages", "2500", // above the default rate burst: the child serve must run unlimited
		"--fanout-connections", "20", "--fanout-messages", "5",
		"--json", jsonPath}, dbArgs...)
	if err := Main(context.Background(), args, func(string) string { return "" }, &stdout, &stderr); err != nil {
		t.Fatalf("bench: %v\n%s", err, stderr.String())
	}
	if !strings.Contains(stdout.String(), "message create, 1 conversation") {
		t.Errorf("no table on stdout:\n%s", stdout.String())
	}
	b, err := os.ReadFile(jsonPath)
	if err != nil {
		t.Fatal(err)
	}
	var rep struct {
		Engine string `json:"engine"`
		Rows   []struct {
			Scenario string  `json:"scenario"`
			Ratio    float64 `json:"ratio"`
		} `json:"rows"`
	}
	if err := json.Unmarshal(b, &rep); err != nil {
		t.Fatal(err)
	}
	// Three systems at two concurrencies and the spread, two list pages,
	// one create, two memory rows of Parley as its own process, and the
	// fan-out's memory row and quiet and busy latency rows.
	if rep.Engine != engine || len(rep.Rows) != 3*3+2+1+2+3 || rep.Rows[0].Ratio <= 0 {
		t.Errorf("JSON report = %+v", rep)
	}
	for _, want := range []string{"group-commit floor ops/s", "memory, idle", "memory, after 2,500 messages", "RSS ",
		"KiB per connection", "fan-out to 20 connections: post → all received",
		"fan-out to 20 connections, all marking read, 5 typing: post → all received"} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("table lacks %q:\n%s", want, stdout.String())
		}
	}
}

func TestBenchFlags(t *testing.T) {
	for _, args := range [][]string{
		{"bench", "--concurrency", "1,x"},
		{"bench", "--database-url", "/tmp/some.db", "--count", "1"},
		{"bench", "--target", "http://127.0.0.1:1", "--count", "1"},
		{"bench", "extra"},
	} {
		var out bytes.Buffer
		if err := Main(context.Background(), args, func(string) string { return "" }, &out, &out); err == nil {
			t.Errorf("%v: no error", args)
		}
	}
}
