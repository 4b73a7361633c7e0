package storetest

import (
	"testing"

	parley "github.com/parley-dev/parley"
)

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
