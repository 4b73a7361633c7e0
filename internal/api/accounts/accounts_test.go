package accounts_test

import (
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	api "github.com/twilio/twilio-go/rest/api/v2010"

	"github.com/parley-dev/parley/internal/apitest"
)

// subaccount creates a sub-account of env's account through twilio-go.
func subaccount(t *testing.T, env *apitest.Env, name string) *api.ApiV2010Account {
	t.Helper()
	sub, err := env.Twilio().Api.CreateAccount(&api.CreateAccountParams{FriendlyName: &name})
	if err != nil {
		t.Fatal(err)
	}
	return sub
}

func TestSubaccountLifecycle(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		env := apitest.Start(t, engine)
		sub := subaccount(t, env, "tenant a")
		if *sub.OwnerAccountSid != env.AccountSID || *sub.Status != "active" || *sub.FriendlyName != "tenant a" ||
			len(*sub.AuthToken) != 32 || *sub.Uri != "/2010-04-01/Accounts/"+*sub.Sid+".json" {
			t.Fatalf("created %+v", sub)
		}
		if _, err := time.Parse(time.RFC1123Z, *sub.DateCreated); err != nil {
			t.Errorf("date_created %q is not RFC 2822: %v", *sub.DateCreated, err)
		}
		unnamed, err := env.Twilio().Api.CreateAccount(&api.CreateAccountParams{})
		if err != nil || !strings.HasPrefix(*unnamed.FriendlyName, "SubAccount Created at ") {
			t.Fatalf("default name: %v %v", unnamed, err)
		}

		all, err := env.Twilio().Api.ListAccount(&api.ListAccountParams{})
		if err != nil || len(all) != 3 || *all[0].Sid != env.AccountSID || *all[1].Sid != *sub.Sid {
			t.Fatalf("list: %v %v", all, err)
		}
		paged, err := env.Twilio().Api.ListAccount((&api.ListAccountParams{}).SetPageSize(1))
		if err != nil || len(paged) != 3 {
			t.Fatalf("list one per page: %d %v", len(paged), err)
		}
		named, err := env.Twilio().Api.ListAccount((&api.ListAccountParams{}).SetFriendlyName("tenant a"))
		if err != nil || len(named) != 1 || *named[0].Sid != *sub.Sid {
			t.Fatalf("FriendlyName filter: %v %v", named, err)
		}

		renamed, err := env.Twilio().Api.UpdateAccount(*sub.Sid, (&api.UpdateAccountParams{}).SetFriendlyName("tenant b"))
		if err != nil || *renamed.FriendlyName != "tenant b" {
			t.Fatalf("rename: %v %v", renamed, err)
		}
		got, err := env.Twilio().Api.FetchAccount(*sub.Sid)
		if err != nil || *got.FriendlyName != "tenant b" {
			t.Fatalf("fetch: %v %v", got, err)
		}

		// The sub-account sees itself, never its parent; it has no sub-accounts.
		asSub := env.TwilioAs(*sub.Sid, *sub.AuthToken)
		own, err := asSub.Api.ListAccount(&api.ListAccountParams{})
		if err != nil || len(own) != 1 || *own[0].Sid != *sub.Sid {
			t.Fatalf("sub-account's list: %v %v", own, err)
		}
		if r := env.DoAs(*sub.Sid, *sub.AuthToken, "GET", "/2010-04-01/Accounts/"+env.AccountSID+".json", nil); r.Status != 404 {
			t.Errorf("sub-account fetching its parent: %s", r)
		}
		r := env.DoAs(*sub.Sid, *sub.AuthToken, "POST", "/2010-04-01/Accounts.json", url.Values{"FriendlyName": {"nested"}})
		if r.Status != 400 || !strings.Contains(string(r.Body), `"code":21101`) {
			t.Errorf("nested sub-account: %s", r)
		}
		if r := env.DoAs(*sub.Sid, *sub.AuthToken, "POST", "/2010-04-01/Accounts/"+*sub.Sid+".json", url.Values{"Status": {"closed"}}); r.Status != 400 {
			t.Errorf("sub-account closing itself: %s", r)
		}
	})
}

func TestBadAccountRequests(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		env := apitest.Start(t, engine)
		sub := subaccount(t, env, "x")
		for _, c := range []struct {
			method, path string
			params       url.Values
			status, code int
		}{
			{"GET", "/2010-04-01/Accounts/AC00000000000000000000000000000000.json", nil, 404, 20404},
			{"GET", "/2010-04-01/Accounts/" + *sub.Sid, nil, 404, 20404},
			{"POST", "/2010-04-01/Accounts/" + *sub.Sid + ".json", url.Values{"Status": {"asleep"}}, 400, 20001},
			{"POST", "/2010-04-01/Accounts.json", url.Values{"FriendlyName": {strings.Repeat("x", 65)}}, 400, 20001},
			{"GET", "/2010-04-01/Accounts.json", url.Values{"PageSize": {"0"}}, 400, 20001},
			{"DELETE", "/2010-04-01/Accounts/" + *sub.Sid + ".json", nil, 405, 20004},
		} {
			r := env.Do(c.method, c.path, c.params)
			if r.Status != c.status || !strings.Contains(string(r.Body), `"code":`+strconv.Itoa(c.code)) {
				t.Errorf("%s %s %v: %s, want %d/%d", c.method, c.path, c.params, r, c.status, c.code)
			}
		}
		if got, _ := env.Twilio().Api.FetchAccount(*sub.Sid); *got.Status != "active" || *got.FriendlyName != "x" {
			t.Errorf("bad requests changed the account: %+v", got)
		}
	})
}
