package storetest

import (
	"testing"

	parley "github.com/parley-dev/parley"
)

func testAddressConfigs(t *testing.T, s parley.Store) {
	f := newFixture(t, s)
	other := newFixture(t, s)
	second := &parley.Service{SID: parley.NewSID(parley.PrefixService), AccountSID: f.acct.SID, FriendlyName: "second",
		DefaultConversationCreatorRoleSID: parley.NewSID(parley.PrefixRole), DefaultConversationRoleSID: parley.NewSID(parley.PrefixRole),
		DefaultChatServiceRoleSID: parley.NewSID(parley.PrefixRole), DateCreated: epoch, DateUpdated: epoch}
	write(t, s, func(tx parley.Tx) error { return tx.CreateService(second) })
	addr := func(acct, typ, address string, a parley.AutoCreation, n int) *parley.AddressConfig {
		c := &parley.AddressConfig{SID: parley.NewSID(parley.PrefixAddressConfig), AccountSID: acct, Type: typ, Address: address,
			AutoCreation: a, DateCreated: stamp(n), DateUpdated: stamp(n + 1)}
		if n == 1 {
			c.FriendlyName, c.AddressCountry = strp("Main"), strp("US")
		}
		write(t, s, func(tx parley.Tx) error { return tx.CreateAddressConfig(c) })
		if c.Seq == 0 {
			t.Error("address configuration created without a seq")
		}
		return c
	}
	stored := func(c *parley.AddressConfig) *parley.AddressConfig {
		v := *c
		if v.AutoCreation.WebhookFilters == nil {
			v.AutoCreation.WebhookFilters = []string{}
		}
		v.DateCreated, v.DateUpdated = ms(c.DateCreated), ms(c.DateUpdated)
		return &v
	}
	a1 := addr(f.acct.SID, "sms", "+15550001111", parley.AutoCreation{Enabled: true, Type: strp("webhook"),
		ConversationServiceSID: &second.SID, WebhookURL: strp("https://hook.example"), WebhookMethod: strp("POST"),
		WebhookFilters: []string{"onMessageAdded"}}, 1)
	a2 := addr(f.acct.SID, "whatsapp", "whatsapp:+15550001111", parley.AutoCreation{Enabled: true, Type: strp("studio"),
		StudioFlowSID: strp("FW00000000000000000000000000000000"), StudioRetryCount: intp(3)}, 2)
	a3 := addr(f.acct.SID, "sms", "+15550002222", parley.AutoCreation{}, 3)
	o := addr(other.acct.SID, "sms", "+15550001111", parley.AutoCreation{}, 4) // addresses are unique per account
	read(t, s, func(tx parley.Tx) error {
		for _, c := range []*parley.AddressConfig{a1, a2, a3, o} {
			got, err := tx.AddressConfig(c.AccountSID, c.SID)
			if err != nil {
				return err
			}
			same(t, "address configuration", got, stored(c))
			got, err = tx.AddressConfig(c.AccountSID, c.Address)
			if err != nil {
				return err
			}
			same(t, "address configuration by address", got, stored(c))
		}
		_, err := tx.AddressConfig(other.acct.SID, a2.SID)
		wantCode(t, err, parley.CodeNotFound)
		_, err = tx.AddressConfig(other.acct.SID, a2.Address)
		wantCode(t, err, parley.CodeNotFound)
		return nil
	})
	dup := *a3
	dup.SID = parley.NewSID(parley.PrefixAddressConfig)
	wantCode(t, s.Write(ctx, func(tx parley.Tx) error { return tx.CreateAddressConfig(&dup) }), parley.CodeAddressExists)

	list := func(typ string) lister[*parley.AddressConfig] {
		return func(tx parley.Tx, p parley.PageRequest) (parley.Page[*parley.AddressConfig], error) {
			return tx.ListAddressConfigs(f.acct.SID, typ, p)
		}
	}
	key := func(c *parley.AddressConfig) (string, int64) { return c.SID, c.Seq }
	checkPaging(t, s, "address configurations", []string{a1.SID, a2.SID, a3.SID}, list(""), key)
	checkPaging(t, s, "sms address configurations", []string{a1.SID, a3.SID}, list("sms"), key)

	// Update writes the name and the auto-creation settings; type, address
	// and country are fixed at creation.
	changed := *a1
	changed.Type, changed.Address, changed.AddressCountry, changed.FriendlyName = "whatsapp", "+15559999999", strp("CA"), nil
	changed.AutoCreation = parley.AutoCreation{Enabled: false, Type: strp("studio"), StudioFlowSID: strp("FW11111111111111111111111111111111"),
		StudioRetryCount: intp(1), WebhookFilters: []string{}}
	changed.DateUpdated = stamp(9)
	write(t, s, func(tx parley.Tx) error { return tx.UpdateAddressConfig(&changed) })
	want := changed
	want.Type, want.Address, want.AddressCountry = a1.Type, a1.Address, a1.AddressCountry
	filled := *a3
	filled.FriendlyName = strp("Named")
	filled.AutoCreation = a1.AutoCreation
	write(t, s, func(tx parley.Tx) error { return tx.UpdateAddressConfig(&filled) })
	read(t, s, func(tx parley.Tx) error {
		for _, c := range []*parley.AddressConfig{&want, &filled} {
			got, err := tx.AddressConfig(f.acct.SID, c.SID)
			if err != nil {
				return err
			}
			same(t, "address configuration after update", got, stored(c))
		}
		return nil
	})
	changed.SID = parley.NewSID(parley.PrefixAddressConfig)
	wantCode(t, s.Write(ctx, func(tx parley.Tx) error { return tx.UpdateAddressConfig(&changed) }), parley.CodeNotFound)

	// Deleting the service an address creates conversations in leaves the
	// address without one (the account default applies).
	write(t, s, func(tx parley.Tx) error { return tx.DeleteService(f.acct.SID, second.SID) })
	read(t, s, func(tx parley.Tx) error {
		got, err := tx.AddressConfig(f.acct.SID, a3.SID)
		if err == nil && got.AutoCreation.ConversationServiceSID != nil {
			t.Errorf("conversation service after its delete = %s, want none", *got.AutoCreation.ConversationServiceSID)
		}
		return err
	})

	write(t, s, func(tx parley.Tx) error { return tx.DeleteAddressConfig(f.acct.SID, a2.SID) })
	gone(t, s, "deleted address configuration", func(tx parley.Tx) error { _, err := tx.AddressConfig(f.acct.SID, a2.SID); return err })
	wantCode(t, s.Write(ctx, func(tx parley.Tx) error { return tx.DeleteAddressConfig(f.acct.SID, a2.SID) }), parley.CodeNotFound)
	wantCode(t, s.Write(ctx, func(tx parley.Tx) error { return tx.DeleteAddressConfig(other.acct.SID, a1.SID) }), parley.CodeNotFound)
	// The address is free again.
	addr(f.acct.SID, "whatsapp", a2.Address, parley.AutoCreation{}, 5)
}
