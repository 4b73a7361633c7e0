package parley_test

import (
	"os/exec"
	"strings"
	"testing"

	"github.com/parley-dev/parley/internal/apitest"
)

// TestChannelsGroupMMSSession runs docs/channels.md's group MMS session:
// a chat user projected as a service number, three phones each receiving
// one group message, a phone's group reply, and a chat user without a
// projected address refused with 50434.
func TestChannelsGroupMMSSession(t *testing.T) {
	if _, err := exec.LookPath("curl"); err != nil {
		t.Skip("curl not installed")
	}
	env := apitest.Start(t, "sqlite")
	out := runAgainst(t, env, withoutExports(docBlock(t, "docs/channels.md", "<!-- channels-group-mms-session -->")), "bash")
	for _, want := range []string{`"messaging_binding":{"type":"sms","projected_address":"+15017122680"}`,
		`"from":"+15017122680"`, `"recipients":["+15558675330","+15558675331","+15558675332"]`,
		`"conversation_sid":"CH`, `"author":"+15558675331"`, `"code":50434`} {
		if !strings.Contains(out, want) {
			t.Errorf("group MMS session output lacks %s:\n%s", want, out)
		}
	}
}
