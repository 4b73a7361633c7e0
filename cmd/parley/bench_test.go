package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestBenchCommand(t *testing.T) {
	jsonPath := filepath.Join(t.TempDir(), "bench.json")
	var stdout, stderr bytes.Buffer
	args := []string{"bench", "--count", "3", "--warmup", "0s", "--rounds", "1", "--concurrency", "1,2",
		"--spread-concurrency", "2", "--conversations", "2", "--create-concurrency", "2", "--depth", "60",
		"--json", jsonPath}
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
	if rep.Engine != "sqlite" || len(rep.Rows) != 9 || rep.Rows[0].Ratio <= 0 {
		t.Errorf("JSON report = %+v", rep)
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
