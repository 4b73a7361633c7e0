package parley_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/parley-dev/parley/internal/apitest"
)

const nodeExample = "examples/node-quickstart"

// TestReadmeNodeQuickstart runs the README's twilio-node example against a
// live server, as TestReadmeQuickstart runs the Go one. It installs the
// example's pinned dependencies with `npm ci` when they are missing. It
// skips only where Node.js is not installed, and never in CI.
func TestReadmeNodeQuickstart(t *testing.T) {
	nodeQuickstart(t, apitest.Start(t, "sqlite"))
	src, err := os.ReadFile(nodeExample + "/index.js")
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(docBlock(t, "README.md", "The heart of the Node example:"), "\n") {
		if strings.TrimSpace(line) != "" && !strings.Contains(string(src), strings.TrimSpace(line)) {
			t.Errorf("README Node line not in %s/index.js: %q", nodeExample, line)
		}
	}
}

// nodeQuickstart runs the Node example against env, after `npm ci` when
// its dependencies are missing; it skips where Node.js is not installed,
// and fails then in CI.
func nodeQuickstart(t *testing.T, env *apitest.Env) {
	t.Helper()
	if _, err := exec.LookPath("node"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("CI must run the Node example: install Node.js 20 or later")
		}
		t.Skip("node not installed")
	}
	if _, err := os.Stat(filepath.Join(nodeExample, "node_modules", "twilio")); err != nil {
		cmd := exec.Command("npm", "ci", "--no-audit", "--no-fund")
		cmd.Dir = nodeExample
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("npm ci: %v\n%s", err, out)
		}
	}
	out := runAgainst(t, env, "", "node", nodeExample+"/index.js")
	if want := "#0 alice: Hello, Bob!"; !strings.Contains(out, want) {
		t.Errorf("node quickstart printed %q, want %q", out, want)
	}
}

// Without PARLEY_URL both quickstarts stop with a message that says so,
// instead of sending the credentials to Twilio.
func TestQuickstartsNeedParleyURL(t *testing.T) {
	cmds := [][]string{{"go", "run", "./examples/quickstart"}}
	if _, err := exec.LookPath("node"); err == nil {
		if _, err := os.Stat(filepath.Join(nodeExample, "node_modules", "twilio")); err == nil {
			cmds = append(cmds, []string{"node", nodeExample + "/index.js"})
		}
	}
	for _, c := range cmds {
		cmd := exec.Command(c[0], c[1:]...)
		cmd.Env = append(os.Environ(), "PARLEY_URL=", "TWILIO_ACCOUNT_SID=AC00000000000000000000000000000000", "TWILIO_AUTH_TOKEN=x")
		out, err := cmd.CombinedOutput()
		if err == nil || !strings.Contains(string(out), "set PARLEY_URL") {
			t.Errorf("%v without PARLEY_URL: %v\n%s", c, err, out)
		}
	}
}

// TestChannelsNodeTransports runs the twilio-node Messaging transports of
// docs/channels.md (path prefix and Host) against a live server, and checks
// that the doc's Node lines are the example's.
func TestChannelsNodeTransports(t *testing.T) {
	env := apitest.Start(t, "sqlite")
	nodeQuickstart(t, env) // installs the example's dependencies
	out := runAgainst(t, env, "", "node", nodeExample+"/messaging.js")
	for _, want := range []string{"path: MG Support (path); IS", "host: MG Support (host); IS"} {
		if !strings.Contains(out, want) {
			t.Errorf("messaging.js printed %q, want %q", out, want)
		}
	}
	src, err := os.ReadFile(nodeExample + "/messaging.js")
	if err != nil {
		t.Fatal(err)
	}
	for _, marker := range []string{"**Path prefix, twilio-node.**", "**Host, twilio-node.**"} {
		for _, line := range strings.Split(docBlock(t, "docs/channels.md", marker), "\n") {
			if strings.TrimSpace(line) != "" && !strings.Contains(string(src), strings.TrimSpace(line)) {
				t.Errorf("docs/channels.md Node line not in %s/messaging.js: %q", nodeExample, line)
			}
		}
	}
}
