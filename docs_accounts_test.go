package parley_test

import (
	"os/exec"
	"strings"
	"testing"

	"github.com/parley-dev/parley/internal/apitest"
)

// TestAccountsCurlSession runs docs/accounts.md's curl session: a
// sub-account, its key as credentials, suspension and reactivation.
func TestAccountsCurlSession(t *testing.T) {
	if _, err := exec.LookPath("curl"); err != nil {
		t.Skip("curl not installed")
	}
	accountsCurlSession(t, apitest.Start(t, "sqlite"))
}

// accountsCurlSession runs the session against env and checks its output.
func accountsCurlSession(t *testing.T, env *apitest.Env) {
	t.Helper()
	out := runAgainst(t, env, withoutExports(docBlock(t, "docs/accounts.md", "<!-- accounts-curl-session -->")), "bash")
	for _, want := range []string{`"status":"suspended"`, `"code":20005`, `"status":"active"`, `"unique_name":"tenant-room"`} {
		if !strings.Contains(out, want) {
			t.Errorf("curl session output lacks %s:\n%s", want, out)
		}
	}
}
