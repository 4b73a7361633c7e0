package storetest

import (
	"testing"

	parley "github.com/parley-dev/parley"
)

// subaccount creates a sub-account of owner with its own default service.
func subaccount(t *testing.T, s parley.Store, owner *parley.Account, name, status string) fixture {
	t.Helper()
	f := fixture{acct: &parley.Account{SID: parley.NewSID(parley.PrefixAccount), AuthToken: "sub", FriendlyName: name,
		OwnerAccountSID: owner.SID, Status: status, DefaultServiceSID: parley.NewSID(parley.PrefixService),
		DateCreated: epoch, DateUpdated: epoch}}
	f.svc = &parley.Service{SID: f.acct.DefaultServiceSID, AccountSID: f.acct.SID, FriendlyName: "svc",
		DefaultConversationCreatorRoleSID: parley.NewSID(parley.PrefixRole), DefaultConversationRoleSID: parley.NewSID(parley.PrefixRole),
		DefaultChatServiceRoleSID: parley.NewSID(parley.PrefixRole), DateCreated: epoch, DateUpdated: epoch}
	write(t, s, func(tx parley.Tx) error {
		if _, err := tx.LockAccount(owner.SID); err != nil {
			return err
		}
		seq, err := tx.NextAccountSeq(owner.SID)
		if err != nil {
			return err
		}
		f.acct.Seq = seq
		if err := tx.CreateAccount(f.acct); err != nil {
			return err
		}
		return tx.CreateService(f.svc)
	})
	return f
}

func testSubaccounts(t *testing.T, s parley.Store) {
	root := newFixture(t, s)
	a := subaccount(t, s, root.acct, "a", parley.AccountActive)
	b := subaccount(t, s, root.acct, "b", parley.AccountSuspended)
	other := newFixture(t, s)
	read(t, s, func(tx parley.Tx) error {
		got, err := tx.Account(a.acct.SID)
		if err != nil {
			return err
		}
		if got.OwnerAccountSID != root.acct.SID || got.Status != parley.AccountActive || got.Seq != 1 || got.IsRoot() {
			t.Errorf("sub-account = %+v", got)
		}
		r, err := tx.Account(root.acct.SID)
		if err != nil {
			return err
		}
		if !r.IsRoot() || r.Status != parley.AccountActive || r.Seq != 0 {
			t.Errorf("root account = %+v", r)
		}
		// The first account is a root account, whatever sub-accounts exist.
		if first, err := tx.FirstAccount(); err != nil || !first.IsRoot() {
			t.Errorf("first account = %v %v", first, err)
		}
		page, err := tx.ListAccounts(root.acct.SID, parley.AccountFilter{}, parley.PageRequest{Size: 2})
		if err != nil {
			return err
		}
		if len(page.Items) != 2 || !page.More || page.Items[0].SID != root.acct.SID || page.Items[1].SID != a.acct.SID {
			t.Errorf("first page = %v more=%v", sids(page.Items), page.More)
		}
		after := int64(1)
		page, err = tx.ListAccounts(root.acct.SID, parley.AccountFilter{}, parley.PageRequest{Size: 2, After: &after})
		if err != nil || len(page.Items) != 1 || page.Items[0].SID != b.acct.SID || page.More {
			t.Errorf("second page = %v %v", sids(page.Items), err)
		}
		suspended := parley.AccountSuspended
		page, err = tx.ListAccounts(root.acct.SID, parley.AccountFilter{Status: &suspended}, parley.PageRequest{Size: 10})
		if err != nil || len(page.Items) != 1 || page.Items[0].SID != b.acct.SID {
			t.Errorf("Status filter = %v %v", sids(page.Items), err)
		}
		name := "a"
		page, err = tx.ListAccounts(root.acct.SID, parley.AccountFilter{FriendlyName: &name}, parley.PageRequest{Size: 10})
		if err != nil || len(page.Items) != 1 || page.Items[0].SID != a.acct.SID {
			t.Errorf("FriendlyName filter = %v %v", sids(page.Items), err)
		}
		page, err = tx.ListAccounts(other.acct.SID, parley.AccountFilter{}, parley.PageRequest{Size: 10})
		if err != nil || len(page.Items) != 1 {
			t.Errorf("another root's list = %v %v", sids(page.Items), err)
		}
		_, err = tx.LockAccount(parley.NewSID(parley.PrefixAccount))
		wantCode(t, err, parley.CodeNotFound)
		return nil
	})
	write(t, s, func(tx parley.Tx) error {
		b.acct.Status = parley.AccountClosed
		return tx.UpdateAccount(b.acct)
	})
	read(t, s, func(tx parley.Tx) error {
		got, err := tx.Account(b.acct.SID)
		if err == nil && got.Status != parley.AccountClosed {
			t.Errorf("status after update = %s", got.Status)
		}
		return err
	})
}

func sids(accts []*parley.Account) []string {
	var out []string
	for _, a := range accts {
		out = append(out, a.SID)
	}
	return out
}

// testPurgeAccountData: a closed account's data goes, its row and every
// other account's data stay.
func testPurgeAccountData(t *testing.T, s parley.Store) {
	root := newFixture(t, s)
	sub := subaccount(t, s, root.acct, "gone", parley.AccountClosed)
	for _, f := range []fixture{root, sub} {
		c := f.conversation(t, s, nil)
		f.message(t, s, c, "hi")
		write(t, s, func(tx parley.Tx) error {
			if err := tx.CreateCredential(&parley.Credential{SID: parley.NewSID("CR"), AccountSID: f.acct.SID,
				Type: parley.CredentialFCM, Sealed: []byte{1}, DateCreated: epoch, DateUpdated: epoch}); err != nil {
				return err
			}
			return tx.CreateAPIKey(&parley.APIKey{SID: parley.NewSID(parley.PrefixKey), AccountSID: f.acct.SID, Sealed: []byte{1},
				DateCreated: epoch, DateUpdated: epoch})
		})
	}
	write(t, s, func(tx parley.Tx) error { return tx.PurgeAccountData(sub.acct.SID) })
	read(t, s, func(tx parley.Tx) error {
		for _, c := range []struct {
			f    fixture
			want int
		}{{sub, 0}, {root, 1}} {
			svcs, err := tx.ListServices(c.f.acct.SID, parley.PageRequest{Size: 10})
			if err != nil {
				return err
			}
			creds, err := tx.ListCredentials(c.f.acct.SID, parley.PageRequest{Size: 10})
			if err != nil {
				return err
			}
			keys, err := tx.ListAPIKeys(c.f.acct.SID, parley.PageRequest{Size: 10})
			if err != nil {
				return err
			}
			if len(svcs.Items) != c.want || len(creds.Items) != c.want || len(keys.Items) != c.want {
				t.Errorf("%s after purge: %d services, %d credentials, %d keys; want %d each",
					c.f.acct.FriendlyName, len(svcs.Items), len(creds.Items), len(keys.Items), c.want)
			}
		}
		_, err := tx.Account(sub.acct.SID)
		return err
	})
}
