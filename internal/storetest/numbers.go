package storetest

import (
	"testing"

	parley "github.com/parley-dev/parley"
)

func testPhoneNumbers(t *testing.T, s parley.Store) {
	a, b := newFixture(t, s), newFixture(t, s)
	n := &parley.PhoneNumber{SID: parley.NewSID(parley.PrefixPhoneNumber), AccountSID: a.acct.SID, PhoneNumber: "+15017122661",
		FriendlyName: "one", DateCreated: epoch, DateUpdated: epoch}
	write(t, s, func(tx parley.Tx) error { return tx.CreatePhoneNumber(n) })
	// A number belongs to one account on the whole server.
	dup := *n
	dup.SID, dup.AccountSID = parley.NewSID(parley.PrefixPhoneNumber), b.acct.SID
	wantCode(t, s.Write(ctx, func(tx parley.Tx) error { return tx.CreatePhoneNumber(&dup) }), parley.CodePhoneNumberUnavailable)
	other := &parley.PhoneNumber{SID: parley.NewSID(parley.PrefixPhoneNumber), AccountSID: a.acct.SID, PhoneNumber: "+447700900123",
		FriendlyName: "two", DateCreated: epoch, DateUpdated: epoch}
	write(t, s, func(tx parley.Tx) error { return tx.CreatePhoneNumber(other) })
	read(t, s, func(tx parley.Tx) error {
		for _, c := range []struct {
			f    parley.PhoneNumberFilter
			want int
		}{{parley.PhoneNumberFilter{}, 2}, {parley.PhoneNumberFilter{PhoneNumber: strp("501*122")}, 1},
			{parley.PhoneNumberFilter{FriendlyName: strp("two")}, 1}, {parley.PhoneNumberFilter{PhoneNumber: strp("999")}, 0}} {
			page, err := tx.ListPhoneNumbers(a.acct.SID, c.f, parley.PageRequest{Size: 10})
			if err != nil || len(page.Items) != c.want {
				t.Errorf("ListPhoneNumbers(%+v) = %d numbers, %v; want %d", c.f, len(page.Items), err, c.want)
			}
		}
		_, err := tx.PhoneNumber(b.acct.SID, n.SID)
		wantCode(t, err, parley.CodeNotFound)
		return nil
	})
	n.FriendlyName = "renamed"
	write(t, s, func(tx parley.Tx) error { return tx.UpdatePhoneNumber(n) })
	read(t, s, func(tx parley.Tx) error {
		got, err := tx.PhoneNumber(a.acct.SID, n.SID)
		if err != nil || got.FriendlyName != "renamed" || got.PhoneNumber != n.PhoneNumber {
			t.Errorf("after update: %+v %v", got, err)
		}
		return nil
	})
	write(t, s, func(tx parley.Tx) error { return tx.DeletePhoneNumber(a.acct.SID, n.SID) })
	wantCode(t, s.Write(ctx, func(tx parley.Tx) error { return tx.DeletePhoneNumber(a.acct.SID, n.SID) }), parley.CodeNotFound)
	// Released, the number is free for another account.
	write(t, s, func(tx parley.Tx) error { return tx.CreatePhoneNumber(&dup) })
}

// testBindingPairs: an (address, proxy address) pair is held by one
// non-closed conversation of an account; closing it frees the pair.
func testBindingPairs(t *testing.T, s parley.Store) {
	f, other := newFixture(t, s), newFixture(t, s)
	c1, c2 := f.conversation(t, s, nil), f.conversation(t, s, nil)
	add := func(fx fixture, c *parley.Conversation) error {
		p := &parley.Participant{SID: parley.NewSID(parley.PrefixParticipant), AccountSID: fx.acct.SID, ServiceSID: fx.svc.SID,
			ConversationSID: c.SID, Attributes: "{}", DateCreated: epoch, DateUpdated: epoch,
			MessagingBinding: &parley.MessagingBinding{Type: parley.BindingSMS, Address: strp("+15558675310"), ProxyAddress: strp("+15017122661")}}
		return s.Write(ctx, func(tx parley.Tx) error { return tx.CreateParticipant(p) })
	}
	if err := add(f, c1); err != nil {
		t.Fatal(err)
	}
	wantCode(t, add(f, c2), parley.CodeBindingPairInUse)
	// Another account's pair is its own.
	if err := add(other, other.conversation(t, s, nil)); err != nil {
		t.Errorf("same pair in another account: %v", err)
	}
	read(t, s, func(tx parley.Tx) error {
		n, err := tx.CountChannelParticipants(c1.SID)
		if err != nil || n != 1 {
			t.Errorf("CountChannelParticipants = %d, %v; want 1", n, err)
		}
		return nil
	})
	c1.State = parley.StateClosed
	write(t, s, func(tx parley.Tx) error { return tx.UpdateConversation(c1) })
	if err := add(f, c2); err != nil {
		t.Errorf("pair after its conversation closed: %v", err)
	}
}
