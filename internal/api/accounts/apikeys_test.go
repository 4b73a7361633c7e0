package accounts_test

import (
	"net/url"
	"strings"
	"testing"

	api "github.com/twilio/twilio-go/rest/api/v2010"
	conversations "github.com/twilio/twilio-go/rest/conversations/v1"

	"github.com/parley-dev/parley/internal/apitest"
)

func TestKeysLifecycle(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		env := apitest.Start(t, engine)
		tw := env.Twilio()
		name := "backend"
		k, err := tw.Api.CreateNewKey(&api.CreateNewKeyParams{FriendlyName: &name})
		if err != nil || !strings.HasPrefix(*k.Sid, "SK") || *k.FriendlyName != "backend" || k.Secret == nil || len(*k.Secret) < 32 {
			t.Fatalf("create: %+v %v", k, err)
		}
		got, err := tw.Api.FetchKey(*k.Sid, &api.FetchKeyParams{})
		if err != nil || *got.Sid != *k.Sid {
			t.Fatalf("fetch: %v %v", got, err)
		}
		// The secret is shown once: no other response carries it.
		for _, path := range []string{"/Keys/" + *k.Sid + ".json", "/Keys.json"} {
			if r := env.Do("GET", "/2010-04-01/Accounts/"+env.AccountSID+path, nil); r.Status != 200 || strings.Contains(string(r.Body), "secret") {
				t.Errorf("GET %s shows the secret: %s", path, r)
			}
		}
		renamed, err := tw.Api.UpdateKey(*k.Sid, (&api.UpdateKeyParams{}).SetFriendlyName("renamed"))
		if err != nil || *renamed.FriendlyName != "renamed" {
			t.Fatalf("update: %v %v", renamed, err)
		}
		for range 2 {
			if _, err := tw.Api.CreateNewKey(&api.CreateNewKeyParams{}); err != nil {
				t.Fatal(err)
			}
		}
		keys, err := tw.Api.ListKey((&api.ListKeyParams{}).SetPageSize(2))
		if err != nil || len(keys) != 3 || *keys[0].Sid != *k.Sid {
			t.Fatalf("list: %v %v", keys, err)
		}
		if err := tw.Api.DeleteKey(*k.Sid, &api.DeleteKeyParams{}); err != nil {
			t.Fatal(err)
		}
		if r := env.Do("GET", "/2010-04-01/Accounts/"+env.AccountSID+"/Keys/"+*k.Sid+".json", nil); r.Status != 404 {
			t.Errorf("deleted key: %s", r)
		}
		if r := env.Do("DELETE", "/2010-04-01/Accounts/"+env.AccountSID+"/Keys/"+*k.Sid+".json", nil); r.Status != 404 {
			t.Errorf("deleting twice: %s", r)
		}
	})
}

// TestKeysAreCredentials: SK…:secret authenticates every REST surface as
// the key's account, a deleted key stops at once, and a Standard key may
// not manage accounts or keys.
func TestKeysAreCredentials(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		env := apitest.Start(t, engine)
		k, err := env.Twilio().Api.CreateNewKey(&api.CreateNewKeyParams{})
		if err != nil {
			t.Fatal(err)
		}
		asKey := env.TwilioKey(*k.Sid, *k.Secret, env.AccountSID)
		name := "by key"
		conv, err := asKey.ConversationsV1.CreateConversation(&conversations.CreateConversationParams{FriendlyName: &name})
		if err != nil || *conv.AccountSid != env.AccountSID {
			t.Fatalf("create with key: %v %v", conv, err)
		}
		for _, path := range []string{"/v1/Conversations/" + *conv.Sid, "/v2/Services", "/v3/Services/" + env.Server.Account.DefaultServiceSID + "/Channels/" + *conv.Sid} {
			if r := env.DoAs(*k.Sid, *k.Secret, "GET", path, nil); r.Status != 200 && !(strings.HasPrefix(path, "/v3") && r.Status == 405) {
				t.Errorf("GET %s with a key: %s", path, r)
			}
		}
		if r := env.DoAs(*k.Sid, "wrong", "GET", "/v1/Conversations", nil); r.Status != 401 {
			t.Errorf("wrong secret: %s", r)
		}
		for _, path := range []string{"/2010-04-01/Accounts.json", "/2010-04-01/Accounts/" + env.AccountSID + "/Keys.json"} {
			if r := env.DoAs(*k.Sid, *k.Secret, "GET", path, nil); r.Status != 401 || !strings.Contains(string(r.Body), `"code":20003`) {
				t.Errorf("Standard key on %s: %s", path, r)
			}
		}
		if err := env.Twilio().Api.DeleteKey(*k.Sid, &api.DeleteKeyParams{}); err != nil {
			t.Fatal(err)
		}
		if r := env.DoAs(*k.Sid, *k.Secret, "GET", "/v1/Conversations", nil); r.Status != 401 {
			t.Errorf("deleted key still authenticates: %s", r)
		}
	})
}

// TestSubaccountIsolation: a sub-account's data is 404 to its parent's
// credentials on v1, and the parent's to the sub-account's; the parent
// manages the sub-account's keys through the 2010 paths.
func TestSubaccountIsolation(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		env := apitest.Start(t, engine)
		sub := subaccount(t, env, "tenant")
		subSvc := serviceOf(t, env, *sub.Sid, *sub.AuthToken)
		parentSvc := env.Server.Account.DefaultServiceSID
		if subSvc == parentSvc {
			t.Fatal("the sub-account shares its parent's default service")
		}
		seed := func(user, pass string) {
			for _, c := range []struct{ path, param, value string }{
				{"/v1/Conversations", "UniqueName", "room"}, {"/v1/Users", "Identity", "alice"}} {
				if r := env.DoAs(user, pass, "POST", c.path, url.Values{c.param: {c.value}}); r.Status != 201 {
					t.Fatalf("seed %s: %s", c.path, r)
				}
			}
		}
		seed(*sub.Sid, *sub.AuthToken)
		seed(env.AccountSID, env.AuthToken)
		for _, c := range []struct {
			user, pass, svc string
		}{{env.AccountSID, env.AuthToken, subSvc}, {*sub.Sid, *sub.AuthToken, parentSvc}} {
			for _, path := range []string{"/v1/Services/" + c.svc, "/v1/Services/" + c.svc + "/Conversations/room",
				"/v1/Services/" + c.svc + "/Users/alice"} {
				if r := env.DoAs(c.user, c.pass, "GET", path, nil); r.Status != 404 {
					t.Errorf("%s GET %s: %s, want 404", c.user, path, r)
				}
			}
		}
		// The parent manages the sub-account's keys; the keys act as the sub-account.
		k, err := env.Twilio().Api.CreateNewKey((&api.CreateNewKeyParams{}).SetPathAccountSid(*sub.Sid))
		if err != nil {
			t.Fatal(err)
		}
		if r := env.DoAs(*k.Sid, *k.Secret, "GET", "/v1/Services/"+subSvc, nil); r.Status != 200 {
			t.Errorf("sub-account key on its service: %s", r)
		}
		if r := env.DoAs(*k.Sid, *k.Secret, "GET", "/v1/Services/"+parentSvc, nil); r.Status != 404 {
			t.Errorf("sub-account key on the parent's service: %s", r)
		}
		if r := env.DoAs(*sub.Sid, *sub.AuthToken, "GET", "/2010-04-01/Accounts/"+env.AccountSID+"/Keys.json", nil); r.Status != 404 {
			t.Errorf("sub-account listing its parent's keys: %s", r)
		}
	})
}

// serviceOf is the default Conversation Service of an account, read with
// its own credentials.
func serviceOf(t *testing.T, env *apitest.Env, user, pass string) string {
	t.Helper()
	svcs, err := env.TwilioAs(user, pass).ConversationsV1.ListService(&conversations.ListServiceParams{})
	if err != nil || len(svcs) != 1 {
		t.Fatalf("services of %s: %v %v", user, svcs, err)
	}
	return *svcs[0].Sid
}
