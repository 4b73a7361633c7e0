package storetest

import (
	"testing"

	parley "github.com/parley-dev/parley"
)

func testWebhookConfigs(t *testing.T, s parley.Store) {
	f := newFixture(t, s)
	other := newFixture(t, s)
	config := func(tx parley.Tx, acct, svc string) (*parley.WebhookConfig, error) {
		return tx.WebhookConfig(acct, svc)
	}
	gone(t, s, "unwritten account configuration", func(tx parley.Tx) error { _, err := config(tx, f.acct.SID, ""); return err })
	gone(t, s, "unwritten service configuration", func(tx parley.Tx) error { _, err := config(tx, f.acct.SID, f.svc.SID); return err })

	acct := &parley.WebhookConfig{AccountSID: f.acct.SID, Method: "GET", Filters: []string{"onMessageAdded", "onConversationRemoved"},
		PostWebhookURL: strp("https://post.example"), Target: "webhook", DateUpdated: stamp(1)}
	svc := &parley.WebhookConfig{AccountSID: f.acct.SID, ServiceSID: f.svc.SID, Method: "POST",
		PreWebhookURL: strp("https://pre.example"), DateUpdated: stamp(2)}
	write(t, s, func(tx parley.Tx) error {
		if err := tx.PutWebhookConfig(acct); err != nil {
			return err
		}
		return tx.PutWebhookConfig(svc)
	})
	stored := func(c *parley.WebhookConfig) *parley.WebhookConfig {
		v := *c
		if v.Filters == nil {
			v.Filters = []string{}
		}
		v.DateUpdated = ms(c.DateUpdated)
		return &v
	}
	read(t, s, func(tx parley.Tx) error {
		got, err := config(tx, f.acct.SID, "")
		if err != nil {
			return err
		}
		same(t, "account webhook configuration", got, stored(acct))
		got, err = config(tx, f.acct.SID, f.svc.SID)
		if err != nil {
			return err
		}
		same(t, "service webhook configuration", got, stored(svc))
		// Another account sees neither.
		_, err = config(tx, other.acct.SID, f.svc.SID)
		wantCode(t, err, parley.CodeNotFound)
		_, err = config(tx, other.acct.SID, "")
		wantCode(t, err, parley.CodeNotFound)
		return nil
	})

	// A second put replaces every field.
	replaced := &parley.WebhookConfig{AccountSID: f.acct.SID, Method: "POST", PreWebhookURL: strp("https://pre2.example"),
		Target: "flex", DateUpdated: stamp(3)}
	write(t, s, func(tx parley.Tx) error { return tx.PutWebhookConfig(replaced) })
	read(t, s, func(tx parley.Tx) error {
		got, err := config(tx, f.acct.SID, "")
		if err != nil {
			return err
		}
		same(t, "replaced account webhook configuration", got, stored(replaced))
		return nil
	})

	// The service's configuration goes with the service; the account's stays.
	write(t, s, func(tx parley.Tx) error { return tx.DeleteService(f.acct.SID, f.svc.SID) })
	gone(t, s, "configuration of a deleted service", func(tx parley.Tx) error { _, err := config(tx, f.acct.SID, f.svc.SID); return err })
	read(t, s, func(tx parley.Tx) error { _, err := config(tx, f.acct.SID, ""); return err })
}

func testNotificationConfigs(t *testing.T, s parley.Store) {
	f := newFixture(t, s)
	gone(t, s, "unwritten notification configuration", func(tx parley.Tx) error { _, err := tx.NotificationConfig(f.svc.SID); return err })
	full := &parley.NotificationConfig{AccountSID: f.acct.SID, ServiceSID: f.svc.SID,
		NewMessage:              parley.NotificationTemplate{Enabled: true, Template: strp("new"), Sound: strp("ding")},
		NewMessageBadgeCount:    true,
		NewMessageWithMedia:     parley.NotificationTemplate{Enabled: true, Template: strp("media")},
		AddedToConversation:     parley.NotificationTemplate{Enabled: true, Template: strp("added"), Sound: strp("hi")},
		RemovedFromConversation: parley.NotificationTemplate{Enabled: true, Template: strp("removed"), Sound: strp("bye")},
		LogEnabled:              true, DateUpdated: stamp(1)}
	bare := &parley.NotificationConfig{AccountSID: f.acct.SID, ServiceSID: f.svc.SID, DateUpdated: stamp(2)}
	for _, n := range []*parley.NotificationConfig{full, bare, full} {
		write(t, s, func(tx parley.Tx) error { return tx.PutNotificationConfig(n) })
		read(t, s, func(tx parley.Tx) error {
			got, err := tx.NotificationConfig(f.svc.SID)
			if err != nil {
				return err
			}
			want := *n
			want.DateUpdated = ms(n.DateUpdated)
			same(t, "notification configuration", got, &want)
			return nil
		})
	}
	write(t, s, func(tx parley.Tx) error { return tx.DeleteService(f.acct.SID, f.svc.SID) })
	gone(t, s, "notification configuration of a deleted service", func(tx parley.Tx) error { _, err := tx.NotificationConfig(f.svc.SID); return err })
}

func storedWebhook(w *parley.ScopedWebhook) *parley.ScopedWebhook {
	v := *w
	if v.Filters == nil {
		v.Filters = []string{}
	}
	if v.Triggers == nil {
		v.Triggers = []string{}
	}
	v.DateCreated, v.DateUpdated = ms(w.DateCreated), ms(w.DateUpdated)
	return &v
}

func testScopedWebhooks(t *testing.T, s parley.Store) {
	f := newFixture(t, s)
	c := f.conversation(t, s, nil)
	c2 := f.conversation(t, s, nil)
	hook := func(conv *parley.Conversation, w parley.ScopedWebhook, n int) *parley.ScopedWebhook {
		w.SID, w.AccountSID, w.ServiceSID, w.ConversationSID = parley.NewSID(parley.PrefixScopedWebhook), f.acct.SID, f.svc.SID, conv.SID
		w.DateCreated, w.DateUpdated = stamp(n), stamp(n+1)
		write(t, s, func(tx parley.Tx) error { return tx.CreateScopedWebhook(&w) })
		if w.Seq == 0 {
			t.Error("webhook created without a seq")
		}
		return &w
	}
	w1 := hook(c, parley.ScopedWebhook{Target: parley.WebhookTargetWebhook, URL: strp("https://a.example"), Method: strp("GET"),
		Filters: []string{"onMessageAdded"}, ReplayAfter: intp(3), RetryCount: 2}, 1)
	w2 := hook(c, parley.ScopedWebhook{Target: parley.WebhookTargetTrigger, URL: strp("https://b.example"), Method: strp("POST"),
		Triggers: []string{"help", "stop"}}, 2)
	w3 := hook(c, parley.ScopedWebhook{Target: parley.WebhookTargetStudio, FlowSID: strp("FW00000000000000000000000000000000"),
		ReplayAfter: intp(0)}, 3)
	x := hook(c2, parley.ScopedWebhook{Target: parley.WebhookTargetWebhook}, 4)
	read(t, s, func(tx parley.Tx) error {
		for _, w := range []*parley.ScopedWebhook{w1, w2, w3, x} {
			got, err := tx.ScopedWebhook(w.ConversationSID, w.SID)
			if err != nil {
				return err
			}
			same(t, "scoped webhook", got, storedWebhook(w))
		}
		_, err := tx.ScopedWebhook(c2.SID, w1.SID)
		wantCode(t, err, parley.CodeNotFound)
		return nil
	})
	checkPaging(t, s, "scoped webhooks", []string{w1.SID, w2.SID, w3.SID},
		func(tx parley.Tx, p parley.PageRequest) (parley.Page[*parley.ScopedWebhook], error) {
			return tx.ListScopedWebhooks(c.SID, p)
		},
		func(w *parley.ScopedWebhook) (string, int64) { return w.SID, w.Seq })
	write(t, s, func(tx parley.Tx) error {
		n, err := tx.CountScopedWebhooks(c.SID)
		if n != 3 {
			t.Errorf("count = %d, want 3", n)
		}
		return err
	})
	wantCode(t, s.Write(ctx, func(tx parley.Tx) error {
		_, err := tx.CountScopedWebhooks(parley.NewSID(parley.PrefixConversation))
		return err
	}), parley.CodeNotFound)

	// Update writes everything but the target and the replay point.
	changed := *w1
	changed.Target, changed.ReplayAfter = parley.WebhookTargetStudio, intp(9)
	changed.URL, changed.Method, changed.Filters, changed.Triggers = nil, nil, nil, []string{"go"}
	changed.FlowSID, changed.RetryCount, changed.DateUpdated = strp("FW11111111111111111111111111111111"), 0, stamp(9)
	write(t, s, func(tx parley.Tx) error { return tx.UpdateScopedWebhook(&changed) })
	want := changed
	want.Target, want.ReplayAfter = w1.Target, w1.ReplayAfter
	read(t, s, func(tx parley.Tx) error {
		got, err := tx.ScopedWebhook(c.SID, w1.SID)
		if err != nil {
			return err
		}
		same(t, "scoped webhook after update", got, storedWebhook(&want))
		return nil
	})
	changed.SID = parley.NewSID(parley.PrefixScopedWebhook)
	wantCode(t, s.Write(ctx, func(tx parley.Tx) error { return tx.UpdateScopedWebhook(&changed) }), parley.CodeNotFound)

	write(t, s, func(tx parley.Tx) error { return tx.DeleteScopedWebhook(c.SID, w2.SID) })
	gone(t, s, "deleted webhook", func(tx parley.Tx) error { _, err := tx.ScopedWebhook(c.SID, w2.SID); return err })
	wantCode(t, s.Write(ctx, func(tx parley.Tx) error { return tx.DeleteScopedWebhook(c.SID, w2.SID) }), parley.CodeNotFound)
	wantCode(t, s.Write(ctx, func(tx parley.Tx) error { return tx.DeleteScopedWebhook(c2.SID, w1.SID) }), parley.CodeNotFound)

	write(t, s, func(tx parley.Tx) error { return tx.DeleteConversation(f.svc.SID, c.SID) })
	gone(t, s, "webhook of a deleted conversation", func(tx parley.Tx) error { _, err := tx.ScopedWebhook(c.SID, w1.SID); return err })
	write(t, s, func(tx parley.Tx) error { return tx.DeleteService(f.acct.SID, f.svc.SID) })
	gone(t, s, "webhook of a deleted service", func(tx parley.Tx) error { _, err := tx.ScopedWebhook(c2.SID, x.SID); return err })
}

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
