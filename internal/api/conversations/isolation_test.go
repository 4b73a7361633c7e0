package conversations_test

import (
	"context"
	"net/url"
	"strings"
	"testing"

	parley "github.com/parley-dev/parley"
	"github.com/parley-dev/parley/internal/apitest"
	"github.com/parley-dev/parley/internal/core"
)

// TestAccountsAreIsolated: one account's credentials never reach another
// account's services, conversations or users.
func TestAccountsAreIsolated(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		env := apitest.Start(t, engine)
		other, _, err := core.New(env.Server.Store).Bootstrap(context.Background(), parley.NewSID(parley.PrefixAccount), "other-token")
		if err != nil {
			t.Fatal(err)
		}
		r := env.Do("POST", "/v1/Conversations", url.Values{"UniqueName": {"mine"}})
		if r.Status != 201 {
			t.Fatal(r)
		}
		if r := env.Do("POST", "/v1/Users", url.Values{"Identity": {"me"}}); r.Status != 201 {
			t.Fatal(r)
		}
		svc := env.Server.Account.DefaultServiceSID
		for _, path := range []string{"/v1/Conversations/mine", "/v1/Services/" + svc, "/v1/Services/" + svc + "/Conversations/mine",
			"/v1/Services/" + svc + "/Users/me", "/v1/Users/me"} {
			if r := env.DoAs(other.SID, "other-token", "GET", path, nil); r.Status != 404 {
				t.Errorf("other account GET %s: %s, want 404", path, r)
			}
		}
		if r := env.DoAs(other.SID, "other-token", "GET", "/v1/Conversations", nil); r.Status != 200 || contains(r.Body, "mine") {
			t.Errorf("other account's list: %s", r)
		}
		// The other account's own default service works with its credentials.
		if r := env.DoAs(other.SID, "other-token", "POST", "/v1/Conversations", url.Values{"UniqueName": {"mine"}}); r.Status != 201 {
			t.Errorf("same unique name in another account: %s", r)
		}
	})
}

func contains(body []byte, s string) bool { return strings.Contains(string(body), s) }
