package accounts_test

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	api "github.com/twilio/twilio-go/rest/api/v2010"

	parley "github.com/parley-dev/parley"
	"github.com/parley-dev/parley/internal/apitest"
)

// TestSuspendReactivateClose: a suspended sub-account's auth token and keys
// are refused with 20005, reactivation restores them with the data intact,
// and closing refuses them for good while a job deletes the data.
func TestSuspendReactivateClose(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		env := apitest.Start(t, engine)
		sub := subaccount(t, env, "tenant")
		k, err := env.Twilio().Api.CreateNewKey((&api.CreateNewKeyParams{}).SetPathAccountSid(*sub.Sid))
		if err != nil {
			t.Fatal(err)
		}
		if r := env.DoAs(*sub.Sid, *sub.AuthToken, "POST", "/v1/Conversations", url.Values{"UniqueName": {"room"}}); r.Status != 201 {
			t.Fatal(r)
		}
		creds := [][2]string{{*sub.Sid, *sub.AuthToken}, {*k.Sid, *k.Secret}}
		expect := func(status int, code string) {
			t.Helper()
			for _, c := range creds {
				r := env.DoAs(c[0], c[1], "GET", "/v1/Conversations/room", nil)
				if r.Status != status || (code != "" && !strings.Contains(string(r.Body), `"code":`+code)) {
					t.Errorf("%s: %s, want %d %s", c[0], r, status, code)
				}
			}
		}
		setStatus := func(status string) {
			t.Helper()
			got, err := env.Twilio().Api.UpdateAccount(*sub.Sid, (&api.UpdateAccountParams{}).SetStatus(status))
			if err != nil || *got.Status != status {
				t.Fatalf("set %s: %v %v", status, got, err)
			}
		}
		setStatus("suspended")
		expect(401, "20005")
		suspended, err := env.Twilio().Api.ListAccount((&api.ListAccountParams{}).SetStatus("suspended"))
		if err != nil || len(suspended) != 1 || *suspended[0].Sid != *sub.Sid {
			t.Errorf("Status filter: %v %v", suspended, err)
		}
		setStatus("active")
		expect(200, "")

		setStatus("closed")
		expect(401, "20003")
		if r := env.Do("POST", "/2010-04-01/Accounts/"+*sub.Sid+".json", url.Values{"Status": {"active"}}); r.Status != 400 {
			t.Errorf("reopening a closed account: %s", r)
		}
		waitPurged(t, env.Server.Store, *sub.Sid)
		if got, err := env.Twilio().Api.FetchAccount(*sub.Sid); err != nil || *got.Status != "closed" {
			t.Errorf("closed account is still listed as closed: %v %v", got, err)
		}
	})
}

// waitPurged waits (bounded) for the purge job to delete the account's data.
func waitPurged(t *testing.T, store parley.Store, sid string) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		var services, keys int
		err := store.Read(context.Background(), func(tx parley.Tx) error {
			s, err := tx.ListServices(sid, parley.PageRequest{Size: 10})
			if err != nil {
				return err
			}
			k, err := tx.ListAPIKeys(sid, parley.PageRequest{Size: 10})
			services, keys = len(s.Items), len(k.Items)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if services == 0 && keys == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("closed account still has %d services and %d keys", services, keys)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
