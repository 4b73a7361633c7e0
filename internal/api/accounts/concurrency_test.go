package accounts_test

import (
	"sync"
	"testing"

	api "github.com/twilio/twilio-go/rest/api/v2010"

	"github.com/parley-dev/parley/internal/apitest"
)

// TestConcurrentSubaccountsAndKeys: many clients creating sub-accounts and
// keys at once all succeed, each sub-account with its own place in the
// parent's list (the parent's row lock orders them).
func TestConcurrentSubaccountsAndKeys(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		env := apitest.Start(t, engine)
		const n = 12
		var wg sync.WaitGroup
		errs := make(chan error, 2*n)
		for range n {
			wg.Add(2)
			go func() {
				defer wg.Done()
				_, err := env.Twilio().Api.CreateAccount(&api.CreateAccountParams{})
				errs <- err
			}()
			go func() {
				defer wg.Done()
				_, err := env.Twilio().Api.CreateNewKey(&api.CreateNewKeyParams{})
				errs <- err
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Error(err)
			}
		}
		accts, err := env.Twilio().Api.ListAccount((&api.ListAccountParams{}).SetPageSize(5))
		if err != nil || len(accts) != n+1 {
			t.Fatalf("listed %d accounts, want %d: %v", len(accts), n+1, err)
		}
		seen := map[string]bool{}
		for _, a := range accts {
			if seen[*a.Sid] {
				t.Errorf("%s listed twice", *a.Sid)
			}
			seen[*a.Sid] = true
		}
		keys, err := env.Twilio().Api.ListKey(&api.ListKeyParams{})
		if err != nil || len(keys) != n {
			t.Errorf("listed %d keys, want %d: %v", len(keys), n, err)
		}
	})
}
