package parley_test

import (
	"os/exec"
	"strings"
	"testing"

	"github.com/parley-dev/parley/internal/apitest"
)

// TestChannelsCurlSession runs docs/channels.md's curl session: a number,
// a Messaging Service with it in its pool (by path prefix and by Host), an
// SMS participant and the refusal of its pair in a second conversation.
func TestChannelsCurlSession(t *testing.T) {
	if _, err := exec.LookPath("curl"); err != nil {
		t.Skip("curl not installed")
	}
	env := apitest.Start(t, "sqlite")
	out := runAgainst(t, env, withoutExports(docBlock(t, "docs/channels.md", "<!-- channels-curl-session -->")), "bash")
	for _, want := range []string{`"phone_number":"+15017122661"`, `"friendly_name":"Support"`,
		`"messaging_binding":{"type":"sms","address":"+15558675310","proxy_address":"+15017122661"`, `"code":50416`} {
		if !strings.Contains(out, want) {
			t.Errorf("curl session output lacks %s:\n%s", want, out)
		}
	}
}
