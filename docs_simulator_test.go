package parley_test

import (
	"os/exec"
	"strings"
	"testing"

	"github.com/parley-dev/parley/internal/apitest"
)

// TestChannelsSimulatorSession runs docs/channels.md's simulator
// walkthrough: a delivery to a phone with its receipt and summary, the
// phone's reply, a failing network's 30008, a conversation auto-created
// by an unknown phone, and a photo whose link the phone's message lists.
func TestChannelsSimulatorSession(t *testing.T) {
	if _, err := exec.LookPath("curl"); err != nil {
		t.Skip("curl not installed")
	}
	env := apitest.Start(t, "sqlite")
	out := runAgainst(t, env, withoutExports(docBlock(t, "docs/channels.md", "<!-- channels-simulator-session -->")), "bash")
	for _, want := range []string{`"body":"Your order shipped"`, `"status":"delivered"`,
		`"delivery":{"total":1,"sent":"all","delivered":"all","read":"none","failed":"none","undelivered":"none"}`,
		`"author":"+15558675320"`, `"error_code":30008`, `"conversation_sid":"CH`, "not really a PNG"} {
		if !strings.Contains(out, want) {
			t.Errorf("simulator session output lacks %s:\n%s", want, out)
		}
	}
}
