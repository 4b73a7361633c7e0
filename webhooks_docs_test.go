package parley_test

import (
	"os"
	"regexp"
	"strings"
	"testing"

	twclient "github.com/twilio/twilio-go/client"

	"github.com/parley-dev/parley/internal/apitest"
)

// TestWebhooksDocExample runs the shell example of docs/webhooks.md against
// a live server, and checks that the receiver got a signed onMessageAdded.
func TestWebhooksDocExample(t *testing.T) {
	env := apitest.Start(t, "sqlite")
	webhooksExample(t, env, newHookLog(t))
}

// webhooksExample runs docs/webhooks.md's example against env with HOOK
// pointing at hooks, and checks the inspector and the call it made.
func webhooksExample(t *testing.T, env *apitest.Env, hooks *hookLog) {
	t.Helper()
	doc, err := os.ReadFile("docs/webhooks.md")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile("(?s)## Example.*?```sh\n(.*?)```").FindSubmatch(doc)
	if m == nil {
		t.Fatal("docs/webhooks.md has no sh example")
	}
	hookURL := hooks.url + "/hook"
	t.Setenv("HOOK", hookURL)
	out := runAgainst(t, env, string(m[1]), "bash")
	if !strings.Contains(out, `"event":"onMessageAdded"`) || !strings.Contains(out, `"last_status":200`) {
		t.Errorf("inspector output lacks the delivery:\n%s", out)
	}
	calls := hooks.calls("onMessageAdded")
	if len(calls) != 1 {
		t.Fatalf("the receiver got %d onMessageAdded calls, want 1", len(calls))
	}
	c := calls[0]
	params := map[string]string{}
	for k := range c.form {
		params[k] = c.form.Get(k)
	}
	if params["Body"] != "hello" || c.path != "/hook" {
		t.Errorf("hook %s params = %v", c.path, params)
	}
	validator := twclient.NewRequestValidator(env.AuthToken)
	if !validator.Validate(hookURL, params, c.signature) {
		t.Error("signature does not validate")
	}
}
