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
