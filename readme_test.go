package parley_test

import (
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"

	"github.com/parley-dev/parley/internal/apitest"
)

// docBlock returns the first fenced block after marker in the file.
func docBlock(t *testing.T, file, marker string) string {
	t.Helper()
	raw, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile("(?s)" + regexp.QuoteMeta(marker) + "\\s*```\\w*\\n(.*?)```").FindStringSubmatch(string(raw))
	if m == nil {
		t.Fatalf("%s has no code block after %s", file, marker)
	}
	return m[1]
}

// withoutExports drops a snippet's placeholder export lines: the test
// supplies the real values in the environment.
func withoutExports(script string) string {
	var kept []string
	for _, line := range strings.Split(script, "\n") {
		if !strings.HasPrefix(line, "export ") {
			kept = append(kept, line)
		}
	}
	return strings.Join(kept, "\n")
}

// runAgainst runs a shell snippet with the server's URL and credentials in
// its environment (the snippet's own placeholder exports are dropped).
func runAgainst(t *testing.T, env *apitest.Env, script string, name string, args ...string) string {
	t.Helper()
	cmd := exec.Command(name, args...)
	if script != "" {
		cmd.Stdin = strings.NewReader("set -euo pipefail\n" + script)
	}
	// Both spellings the guides use; HOOK, when a guide needs one, comes
	// from the test's environment (t.Setenv).
	cmd.Env = append(os.Environ(), "PARLEY_URL="+env.URL, "TWILIO_ACCOUNT_SID="+env.AccountSID, "TWILIO_AUTH_TOKEN="+env.AuthToken,
		"PARLEY="+env.URL, "AC="+env.AccountSID, "TOKEN="+env.AuthToken)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s failed: %v\n%s", name, err, out)
	}
	return string(out)
}

func TestReadmeCurlSession(t *testing.T) {
	if _, err := exec.LookPath("curl"); err != nil {
		t.Skip("curl not installed")
	}
	readmeCurlSession(t, apitest.Start(t, "sqlite"))
}

// readmeCurlSession runs the README's curl session against env and checks
// what it printed.
func readmeCurlSession(t *testing.T, env *apitest.Env) {
	t.Helper()
	out := runAgainst(t, env, withoutExports(docBlock(t, "README.md", "<!-- readme-curl-session -->")), "bash")
	for _, want := range []string{`"unique_name":"readme"`, `"identity":"alice"`, `"body":"Hello from curl"`, `"key":"messages"`} {
		if !strings.Contains(out, want) {
			t.Errorf("curl session output lacks %s:\n%s", want, out)
		}
	}
}

func TestReadmeQuickstart(t *testing.T) {
	goQuickstart(t, apitest.Start(t, "sqlite"))
	// The README's excerpt must be the program's own code.
	src, err := os.ReadFile("examples/quickstart/main.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(docBlock(t, "README.md", "The heart of it:"), "\n") {
		if strings.TrimSpace(line) != "" && !strings.Contains(string(src), strings.TrimSpace(line)) {
			t.Errorf("README quickstart line not in examples/quickstart/main.go: %q", line)
		}
	}
}

// goQuickstart runs examples/quickstart against env.
func goQuickstart(t *testing.T, env *apitest.Env) {
	t.Helper()
	out := runAgainst(t, env, "", "go", "run", "./examples/quickstart")
	if want := "#0 alice: Hello, Bob!"; !strings.Contains(out, want) {
		t.Errorf("quickstart printed %q, want %q", out, want)
	}
}
