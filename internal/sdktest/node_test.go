package sdktest

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

var (
	npmOnce sync.Once
	npmErr  error
)

// requireSDK skips when node is not installed and installs the Node
// project (npm ci, from the committed lock file) when node_modules is
// missing.
func requireSDK(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("node"); err != nil {
		t.Skip("node is not installed: the client SDK tests need Node.js 20 or later")
	}
	npmOnce.Do(func() {
		if _, err := os.Stat(filepath.Join("node", "node_modules", "@twilio", "conversations")); err == nil {
			return
		}
		cmd := exec.Command("npm", "ci", "--no-audit", "--no-fund")
		cmd.Dir = "node"
		out, err := cmd.CombinedOutput()
		if err != nil {
			npmErr = err
			npmErr = &npmError{err: err, out: string(out)}
		}
	})
	if npmErr != nil {
		t.Fatal(npmErr)
	}
}

type npmError struct {
	err error
	out string
}

func (e *npmError) Error() string { return "npm ci in node/: " + e.err.Error() + "\n" + e.out }

// runSDK runs one scenario of node/sdk.mjs and decodes its JSON result.
func runSDK(t *testing.T, scenario string, config any, result any) {
	t.Helper()
	cfg, err := json.Marshal(config)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("node", "sdk.mjs", scenario, string(cfg))
	cmd.Dir = "node"
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	start := time.Now()
	if err := cmd.Run(); err != nil {
		t.Fatalf("node sdk.mjs %s: %v\nstderr:\n%s", scenario, err, stderr.String())
	}
	t.Logf("scenario %s took %v", scenario, time.Since(start).Round(time.Millisecond))
	line := strings.TrimSpace(stdout.String())
	if i := strings.LastIndexByte(line, '\n'); i >= 0 {
		line = line[i+1:] // the SDK may log above the result
	}
	if err := json.Unmarshal([]byte(line), result); err != nil {
		t.Fatalf("scenario %s printed %q: %v\nstderr:\n%s", scenario, stdout.String(), err, stderr.String())
	}
}
