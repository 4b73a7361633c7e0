package storetest

import (
	"testing"

	parley "github.com/parley-dev/parley"
)

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
