package storetest

import (
	"fmt"
	"testing"

	parley "github.com/parley-dev/parley"
)

func testBindings(t *testing.T, s parley.Store) {
	f := newFixture(t, s)
	other := newFixture(t, s)
	bind := func(fx fixture, identity, typ string, credential *string, types []string, n int) *parley.Binding {
		b := &parley.Binding{SID: parley.NewSID(parley.PrefixBinding), AccountSID: fx.acct.SID, ServiceSID: fx.svc.SID,
			CredentialSID: credential, Endpoint: fmt.Sprint("endpoint-", n), Identity: identity, BindingType: typ,
			MessageTypes: types, DateCreated: stamp(n), DateUpdated: stamp(n + 1)}
		write(t, s, func(tx parley.Tx) error { return tx.CreateBinding(b) })
		if b.Seq == 0 {
			t.Error("binding created without a seq")
		}
		return b
	}
	stored := func(b *parley.Binding) *parley.Binding {
		v := *b
		if v.MessageTypes == nil {
			v.MessageTypes = []string{}
		}
		v.DateCreated, v.DateUpdated = ms(b.DateCreated), ms(b.DateUpdated)
		return &v
	}
	b1 := bind(f, "alice", parley.BindingTypeAPN, strp("CR00000000000000000000000000000000"), []string{"new_message", "added_to_conversation"}, 1)
	b2 := bind(f, "bob", parley.BindingTypeFCM, nil, nil, 2)
	b3 := bind(f, "alice", parley.BindingTypeFCM, nil, []string{}, 3)
	b4 := bind(f, "carol", parley.BindingTypeGCM, nil, []string{"removed_from_conversation"}, 4)
	o := bind(other, "alice", parley.BindingTypeAPN, nil, nil, 5)
	read(t, s, func(tx parley.Tx) error {
		for _, b := range []*parley.Binding{b1, b2, b3, o} {
			got, err := tx.Binding(b.ServiceSID, b.SID)
			if err != nil {
				return err
			}
			same(t, "binding", got, stored(b))
		}
		_, err := tx.Binding(other.svc.SID, b1.SID)
		wantCode(t, err, parley.CodeNotFound)
		return nil
	})
	list := func(flt parley.BindingFilter) lister[*parley.Binding] {
		return func(tx parley.Tx, p parley.PageRequest) (parley.Page[*parley.Binding], error) {
			return tx.ListBindings(f.svc.SID, flt, p)
		}
	}
	key := func(b *parley.Binding) (string, int64) { return b.SID, b.Seq }
	checkPaging(t, s, "bindings", []string{b1.SID, b2.SID, b3.SID, b4.SID}, list(parley.BindingFilter{}), key)
	checkPaging(t, s, "fcm and gcm bindings", []string{b2.SID, b3.SID, b4.SID},
		list(parley.BindingFilter{BindingTypes: []string{parley.BindingTypeFCM, parley.BindingTypeGCM}}), key)
	checkPaging(t, s, "alice's and carol's bindings", []string{b1.SID, b3.SID, b4.SID},
		list(parley.BindingFilter{Identities: []string{"alice", "carol"}}), key)
	checkPaging(t, s, "alice's fcm bindings", []string{b3.SID},
		list(parley.BindingFilter{BindingTypes: []string{parley.BindingTypeFCM}, Identities: []string{"alice"}}), key)

	write(t, s, func(tx parley.Tx) error { return tx.DeleteBinding(f.svc.SID, b2.SID) })
	gone(t, s, "deleted binding", func(tx parley.Tx) error { _, err := tx.Binding(f.svc.SID, b2.SID); return err })
	wantCode(t, s.Write(ctx, func(tx parley.Tx) error { return tx.DeleteBinding(f.svc.SID, b2.SID) }), parley.CodeNotFound)
	wantCode(t, s.Write(ctx, func(tx parley.Tx) error { return tx.DeleteBinding(other.svc.SID, b1.SID) }), parley.CodeNotFound)
	write(t, s, func(tx parley.Tx) error { return tx.DeleteService(f.acct.SID, f.svc.SID) })
	gone(t, s, "binding of a deleted service", func(tx parley.Tx) error { _, err := tx.Binding(f.svc.SID, b1.SID); return err })
}
