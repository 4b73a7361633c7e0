package accounts_test

import (
	"net/url"
	"strings"
	"sync"
	"testing"

	api "github.com/twilio/twilio-go/rest/api/v2010"

	"github.com/parley-dev/parley/internal/apitest"
)

func TestPhoneNumbersLifecycle(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		env := apitest.Start(t, engine)
		tw := env.Twilio()
		n, err := tw.Api.CreateIncomingPhoneNumber((&api.CreateIncomingPhoneNumberParams{}).SetPhoneNumber("+15017122661"))
		if err != nil || !strings.HasPrefix(*n.Sid, "PN") || *n.PhoneNumber != "+15017122661" || *n.FriendlyName != "(501) 712-2661" {
			t.Fatalf("create: %+v %v", n, err)
		}
		if *n.AccountSid != env.AccountSID || !n.Capabilities.Sms {
			t.Errorf("create: account %s, capabilities %+v", *n.AccountSid, n.Capabilities)
		}
		uk, err := tw.Api.CreateIncomingPhoneNumber((&api.CreateIncomingPhoneNumberParams{}).
			SetPhoneNumber("+447700900123").SetFriendlyName("London"))
		if err != nil || *uk.FriendlyName != "London" {
			t.Fatalf("create named: %+v %v", uk, err)
		}
		got, err := tw.Api.FetchIncomingPhoneNumber(*n.Sid, &api.FetchIncomingPhoneNumberParams{})
		if err != nil || *got.PhoneNumber != "+15017122661" {
			t.Fatalf("fetch: %+v %v", got, err)
		}
		renamed, err := tw.Api.UpdateIncomingPhoneNumber(*n.Sid, (&api.UpdateIncomingPhoneNumberParams{}).SetFriendlyName("Support"))
		if err != nil || *renamed.FriendlyName != "Support" {
			t.Fatalf("update: %+v %v", renamed, err)
		}
		all, err := tw.Api.ListIncomingPhoneNumber((&api.ListIncomingPhoneNumberParams{}).SetPageSize(1))
		if err != nil || len(all) != 2 || *all[0].Sid != *n.Sid {
			t.Fatalf("list: %v %v", all, err)
		}
		for _, c := range []struct {
			params *api.ListIncomingPhoneNumberParams
			want   string
		}{
			{(&api.ListIncomingPhoneNumberParams{}).SetPhoneNumber("712"), *n.Sid},
			{(&api.ListIncomingPhoneNumberParams{}).SetPhoneNumber("+44*7"), *uk.Sid},
			{(&api.ListIncomingPhoneNumberParams{}).SetFriendlyName("Support"), *n.Sid},
		} {
			got, err := tw.Api.ListIncomingPhoneNumber(c.params)
			if err != nil || len(got) != 1 || *got[0].Sid != c.want {
				t.Errorf("list %+v: %v %v", c.params, got, err)
			}
		}
		if err := tw.Api.DeleteIncomingPhoneNumber(*n.Sid, &api.DeleteIncomingPhoneNumberParams{}); err != nil {
			t.Fatal(err)
		}
		path := "/2010-04-01/Accounts/" + env.AccountSID + "/IncomingPhoneNumbers/" + *n.Sid + ".json"
		if r := env.Do("GET", path, nil); r.Status != 404 {
			t.Errorf("deleted number: %s", r)
		}
		if r := env.Do("DELETE", path, nil); r.Status != 404 {
			t.Errorf("deleting twice: %s", r)
		}
		// A released number can be provisioned again.
		if _, err := tw.Api.CreateIncomingPhoneNumber((&api.CreateIncomingPhoneNumberParams{}).SetPhoneNumber("+15017122661")); err != nil {
			t.Errorf("re-create: %v", err)
		}
	})
}

// TestPhoneNumbersRefused: bad input gets Twilio's code and changes
// nothing; a number belongs to one account; sub-accounts see only theirs.
func TestPhoneNumbersRefused(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		env := apitest.Start(t, engine)
		numbers := "/2010-04-01/Accounts/" + env.AccountSID + "/IncomingPhoneNumbers.json"
		if r := env.Do("POST", numbers, url.Values{"PhoneNumber": {"+15005550006"}}); r.Status != 201 {
			t.Fatalf("create: %s", r)
		}
		sub, err := env.Twilio().Api.CreateAccount(&api.CreateAccountParams{})
		if err != nil {
			t.Fatal(err)
		}
		subNumbers := "/2010-04-01/Accounts/" + *sub.Sid + "/IncomingPhoneNumbers.json"
		for _, c := range []struct {
			path   string
			params url.Values
			status int
			code   string
		}{
			{numbers, url.Values{}, 400, "20001"},
			{numbers, url.Values{"PhoneNumber": {"5017122661"}}, 400, "21421"},
			{numbers, url.Values{"PhoneNumber": {"+0123"}}, 400, "21421"},
			{numbers, url.Values{"PhoneNumber": {"+15005550006"}}, 400, "21422"},
			{subNumbers, url.Values{"PhoneNumber": {"+15005550006"}}, 400, "21422"},
			{numbers, url.Values{"PhoneNumber": {"+15005550007"}, "FriendlyName": {strings.Repeat("x", 65)}}, 400, "20001"},
			{"/2010-04-01/Accounts/AC00000000000000000000000000000000/IncomingPhoneNumbers.json", url.Values{"PhoneNumber": {"+15005550008"}}, 404, "20404"},
		} {
			if r := env.Do("POST", c.path, c.params); r.Status != c.status || !strings.Contains(string(r.Body), `"code":`+c.code) {
				t.Errorf("POST %v: %s, want %d/%s", c.params, r, c.status, c.code)
			}
		}
		if r := env.Do("GET", numbers, url.Values{"PhoneNumber": {"1%"}}); r.Status != 400 {
			t.Errorf("filter with a wildcard of SQL: %s", r)
		}
		// The sub-account provisions its own number; its parent may manage it,
		// but the sub-account's list holds only its own.
		if r := env.Do("POST", subNumbers, url.Values{"PhoneNumber": {"+15005550009"}}); r.Status != 201 {
			t.Fatalf("sub-account create: %s", r)
		}
		subClient := env.TwilioAs(*sub.Sid, *sub.AuthToken)
		mine, err := subClient.Api.ListIncomingPhoneNumber(&api.ListIncomingPhoneNumberParams{})
		if err != nil || len(mine) != 1 || *mine[0].PhoneNumber != "+15005550009" {
			t.Errorf("sub-account list: %v %v", mine, err)
		}
		if r := env.DoAs(*sub.Sid, *sub.AuthToken, "GET", numbers, nil); r.Status != 404 {
			t.Errorf("sub-account reading its parent's numbers: %s", r)
		}
		all, err := env.Twilio().Api.ListIncomingPhoneNumber(&api.ListIncomingPhoneNumberParams{})
		if err != nil || len(all) != 1 {
			t.Errorf("the refusals changed the list: %v %v", all, err)
		}
	})
}

// TestConcurrentPhoneNumbers: many accounts racing for one number, exactly
// one gets it.
func TestConcurrentPhoneNumbers(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		env := apitest.Start(t, engine)
		const n = 8
		paths := make([]string, n)
		for i := range paths {
			sub, err := env.Twilio().Api.CreateAccount(&api.CreateAccountParams{})
			if err != nil {
				t.Fatal(err)
			}
			paths[i] = "/2010-04-01/Accounts/" + *sub.Sid + "/IncomingPhoneNumbers.json"
		}
		var wg sync.WaitGroup
		statuses := make(chan int, n)
		for _, path := range paths {
			wg.Add(1)
			go func() {
				defer wg.Done()
				statuses <- env.Do("POST", path, url.Values{"PhoneNumber": {"+15005550010"}}).Status
			}()
		}
		wg.Wait()
		close(statuses)
		count := map[int]int{}
		for s := range statuses {
			count[s]++
		}
		if count[201] != 1 || count[400] != n-1 {
			t.Errorf("statuses %v, want one 201 and %d 400", count, n-1)
		}
	})
}
