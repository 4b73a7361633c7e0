package storetest

import (
	"testing"

	parley "github.com/parley-dev/parley"
)

func testCredentials(t *testing.T, s parley.Store) {
	f := newFixture(t, s)
	other := newFixture(t, s)
	cred := func(acct string, c parley.Credential, n int) *parley.Credential {
		c.SID, c.AccountSID, c.DateCreated, c.DateUpdated = parley.NewSID(parley.PrefixCredential), acct, stamp(n), stamp(n+1)
		write(t, s, func(tx parley.Tx) error { return tx.CreateCredential(&c) })
		if c.Seq == 0 {
			t.Error("credential created without a seq")
		}
		return &c
	}
	stored := func(c *parley.Credential) *parley.Credential {
		v := *c
		v.DateCreated, v.DateUpdated = ms(c.DateCreated), ms(c.DateUpdated)
		return &v
	}
	// Sealed secrets are bytes: every byte value survives.
	sealed := make([]byte, 256)
	for i := range sealed {
		sealed[i] = byte(i)
	}
	c1 := cred(f.acct.SID, parley.Credential{FriendlyName: strp("apn"), Type: parley.CredentialAPN, Sandbox: boolp(true), Sealed: sealed}, 1)
	c2 := cred(f.acct.SID, parley.Credential{Type: parley.CredentialFCM, Sandbox: boolp(false), Sealed: []byte{0}}, 2)
	c3 := cred(f.acct.SID, parley.Credential{Type: parley.CredentialGCM, Sealed: []byte("x")}, 3)
	o := cred(other.acct.SID, parley.Credential{Type: parley.CredentialFCM, Sealed: []byte("y")}, 4)
	read(t, s, func(tx parley.Tx) error {
		for _, c := range []*parley.Credential{c1, c2, c3, o} {
			got, err := tx.Credential(c.AccountSID, c.SID)
			if err != nil {
				return err
			}
			same(t, "credential", got, stored(c))
		}
		_, err := tx.Credential(other.acct.SID, c1.SID)
		wantCode(t, err, parley.CodeNotFound)
		return nil
	})
	checkPaging(t, s, "credentials", []string{c1.SID, c2.SID, c3.SID},
		func(tx parley.Tx, p parley.PageRequest) (parley.Page[*parley.Credential], error) {
			return tx.ListCredentials(f.acct.SID, p)
		},
		func(c *parley.Credential) (string, int64) { return c.SID, c.Seq })

	changed := *c1
	changed.FriendlyName, changed.Type, changed.Sandbox, changed.Sealed, changed.DateUpdated = nil, parley.CredentialFCM, nil, []byte("new"), stamp(9)
	write(t, s, func(tx parley.Tx) error { return tx.UpdateCredential(&changed) })
	changed2 := *c3
	changed2.FriendlyName, changed2.Sandbox = strp("named"), boolp(false)
	write(t, s, func(tx parley.Tx) error { return tx.UpdateCredential(&changed2) })
	read(t, s, func(tx parley.Tx) error {
		for _, c := range []*parley.Credential{&changed, &changed2} {
			got, err := tx.Credential(f.acct.SID, c.SID)
			if err != nil {
				return err
			}
			same(t, "credential after update", got, stored(c))
		}
		return nil
	})
	changed.SID = parley.NewSID(parley.PrefixCredential)
	wantCode(t, s.Write(ctx, func(tx parley.Tx) error { return tx.UpdateCredential(&changed) }), parley.CodeNotFound)

	write(t, s, func(tx parley.Tx) error { return tx.DeleteCredential(f.acct.SID, c2.SID) })
	gone(t, s, "deleted credential", func(tx parley.Tx) error { _, err := tx.Credential(f.acct.SID, c2.SID); return err })
	wantCode(t, s.Write(ctx, func(tx parley.Tx) error { return tx.DeleteCredential(f.acct.SID, c2.SID) }), parley.CodeNotFound)
	wantCode(t, s.Write(ctx, func(tx parley.Tx) error { return tx.DeleteCredential(other.acct.SID, c1.SID) }), parley.CodeNotFound)
}
