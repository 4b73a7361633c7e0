package parley_test

import (
	"os/exec"
	"strings"
	"testing"

	"github.com/parley-dev/parley/internal/apitest"
	"github.com/parley-dev/parley/internal/channel/whatsapp"
	"github.com/parley-dev/parley/internal/server"
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

// TestChannelsWhatsAppWebhookCheck runs docs/channels.md's check of the
// WhatsApp webhook: Meta's handshake, then a notification signed with the
// app secret (204) and with another secret (403).
func TestChannelsWhatsAppWebhookCheck(t *testing.T) {
	for _, tool := range []string{"curl", "openssl"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skip(tool + " not installed")
		}
	}
	env := apitest.Start(t, "sqlite", func(c *server.Config) {
		c.ChannelWhatsApp = server.ChannelWhatsAppCloud
		c.WhatsApp = whatsapp.Config{Token: "token", PhoneNumberID: "106540352242922", AppSecret: "the-app-secret",
			VerifyToken: "the-verify-token", APIBase: "http://127.0.0.1:1"}
	})
	t.Setenv("VERIFY_TOKEN", "the-verify-token")
	t.Setenv("APP_SECRET", "the-app-secret")
	out := runAgainst(t, env, withoutExports(docBlock(t, "docs/channels.md", "<!-- channels-whatsapp-webhook -->")), "bash")
	if want := "1158201444\n204\n403\n"; out != want {
		t.Errorf("webhook check printed %q, want %q", out, want)
	}
}
