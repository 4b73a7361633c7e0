package storetest

import (
	"testing"

	parley "github.com/parley-dev/parley"
)

func testServiceConfiguration(t *testing.T, s parley.Store) {
	f := newFixture(t, s)
	var created *parley.Service
	read(t, s, func(tx parley.Tx) (err error) { created, err = tx.Service(f.acct.SID, f.svc.SID); return err })
	svc := *f.svc
	svc.FriendlyName = "not written"
	svc.DefaultConversationCreatorRoleSID = parley.NewSID(parley.PrefixRole)
	svc.DefaultConversationRoleSID = parley.NewSID(parley.PrefixRole)
	svc.DefaultChatServiceRoleSID = parley.NewSID(parley.PrefixRole)
	svc.ReachabilityEnabled = true
	svc.Chat.TypingIndicatorTimeout = 99 // not written either
	svc.DateUpdated = stamp(5)
	write(t, s, func(tx parley.Tx) error { return tx.UpdateServiceConfiguration(&svc) })
	read(t, s, func(tx parley.Tx) error {
		got, err := tx.Service(f.acct.SID, f.svc.SID)
		if err != nil {
			return err
		}
		want := svc
		want.Seq, want.FriendlyName, want.Chat = f.svc.Seq, "svc", created.Chat
		want.DateCreated, want.DateUpdated = ms(epoch), ms(stamp(5))
		same(t, "service after configuration update", got, &want)
		return nil
	})
	missing := svc
	missing.SID = parley.NewSID(parley.PrefixService)
	wantCode(t, s.Write(ctx, func(tx parley.Tx) error { return tx.UpdateServiceConfiguration(&missing) }), parley.CodeNotFound)
}
