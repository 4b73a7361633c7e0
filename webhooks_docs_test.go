package parley_test

import (
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"

	twclient "github.com/twilio/twilio-go/client"

	"github.com/parley-dev/parley/internal/apitest"
)

// TestWebhooksDocExample runs the shell example of docs/webhooks.md against
// a live server, and checks that the receiver got a signed onMessageAdded.
func TestWebhooksDocExample(t *testing.T) {
	doc, err := os.ReadFile("docs/webhooks.md")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile("(?s)## Example.*?```sh\n(.*?)```").FindSubmatch(doc)
	if m == nil {
		t.Fatal("docs/webhooks.md has no sh example")
	}
	env := apitest.Start(t, "sqlite")
	got := make(chan *http.Request, 4)
	var hookURL string
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		got <- r
	}))
	defer hook.Close()
	hookURL = hook.URL + "/hook"
	cmd := exec.Command("bash", "-euo", "pipefail", "-c", string(m[1]))
	cmd.Env = append(os.Environ(), "PARLEY="+env.URL, "AC="+env.AccountSID, "TOKEN="+env.AuthToken, "HOOK="+hookURL)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("example failed: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), `"event":"onMessageAdded"`) || !strings.Contains(string(out), `"last_status":200`) {
		t.Errorf("inspector output lacks the delivery:\n%s", out)
	}
	select {
	case r := <-got:
		params := map[string]string{}
		for k := range r.PostForm {
			params[k] = r.PostForm.Get(k)
		}
		if params["Body"] != "hello" || params["EventType"] != "onMessageAdded" {
			t.Errorf("hook params = %v", params)
		}
		validator := twclient.NewRequestValidator(env.AuthToken)
		if !validator.Validate(hookURL, params, r.Header.Get("X-Twilio-Signature")) {
			t.Error("signature does not validate")
		}
	default:
		t.Error("the receiver got no call")
	}
}
