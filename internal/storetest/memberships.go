package storetest

import (
	"testing"

	parley "github.com/parley-dev/parley"
)

func testMemberships(t *testing.T, s parley.Store) {
	f := newFixture(t, s)
	other := newFixture(t, s)
	c1 := f.conversation(t, s, strp("one"))
	c2 := f.channel(t, s, parley.ChannelPublic)
	c3 := f.conversation(t, s, nil)
	alice := strp("alice")
	a1 := f.participant(t, s, c1, alice, nil)
	a2 := f.participant(t, s, c2, alice, nil)
	a3 := f.participant(t, s, c3, alice, nil)
	f.participant(t, s, c1, strp("bob"), nil)
	sms1 := f.participant(t, s, c1, nil, strp("+15551230000"))
	sms3 := f.participant(t, s, c3, nil, strp("+15551230000"))
	f.participant(t, s, c3, nil, strp("+15559990000"))
	other.participant(t, s, other.conversation(t, s, nil), alice, nil)

	memberships := func(filter parley.MembershipFilter) lister[*parley.Membership] {
		return func(tx parley.Tx, p parley.PageRequest) (parley.Page[*parley.Membership], error) {
			return tx.ListMemberships(f.svc.SID, filter, p)
		}
	}
	key := func(m *parley.Membership) (string, int64) { return m.Participant.SID, m.Participant.Seq }
	checkPaging(t, s, "alice's memberships", []string{a1.SID, a2.SID, a3.SID}, memberships(parley.MembershipFilter{Identity: alice}), key)
	checkPaging(t, s, "alice's private memberships", []string{a1.SID, a3.SID},
		memberships(parley.MembershipFilter{Identity: alice, PrivateOnly: true}), key)
	checkPaging(t, s, "an address's memberships", []string{sms1.SID, sms3.SID},
		memberships(parley.MembershipFilter{Address: strp("+15551230000")}), key)
	read(t, s, func(tx parley.Tx) error {
		page, err := tx.ListMemberships(f.svc.SID, parley.MembershipFilter{Identity: alice}, parley.PageRequest{Size: 10})
		if err != nil {
			return err
		}
		for i, c := range []*parley.Conversation{c1, c2, c3} {
			m := page.Items[i]
			if m.Conversation == nil || m.Conversation.SID != c.SID || m.Conversation.Type != c.Type {
				t.Errorf("membership %d conversation = %+v, want %s", i, m.Conversation, c.SID)
			}
			if m.NotificationLevel != parley.NotificationDefault || m.UserSID != nil || m.UnreadMessagesCount != nil {
				t.Errorf("membership %d = %+v", i, m)
			}
		}
		page, err = tx.ListMemberships(f.svc.SID, parley.MembershipFilter{Identity: strp("nobody")}, parley.PageRequest{Size: 10})
		if err == nil && (len(page.Items) != 0 || page.More) {
			t.Errorf("nobody's memberships = %d items", len(page.Items))
		}
		return err
	})

	// Membership reads one participation; UpdateMembership writes the
	// notification level and the read horizon, in both directions.
	read(t, s, func(tx parley.Tx) error {
		m, err := tx.Membership(c1, "alice")
		if err != nil {
			return err
		}
		same(t, "membership participant", m.Participant, storedParticipant(a1))
		if m.Conversation != c1 || m.NotificationLevel != parley.NotificationDefault {
			t.Errorf("membership = %+v", m)
		}
		_, err = tx.Membership(c1, "carol")
		wantCode(t, err, parley.CodeNotFound)
		return nil
	})
	write(t, s, func(tx parley.Tx) error {
		m, err := tx.Membership(c1, "alice")
		if err != nil {
			return err
		}
		m.NotificationLevel = parley.NotificationMuted
		m.Participant.LastReadMessageIndex, m.Participant.LastReadTimestamp = intp(5), timep(stamp(7))
		m.Participant.Attributes, m.Participant.DateUpdated = `{"not":"written"}`, stamp(8)
		return tx.UpdateMembership(m)
	})
	want := *storedParticipant(a1)
	want.LastReadMessageIndex, want.LastReadTimestamp, want.DateUpdated = intp(5), msp(stamp(7)), ms(stamp(8))
	read(t, s, func(tx parley.Tx) error {
		m, err := tx.Membership(c1, "alice")
		if err != nil {
			return err
		}
		same(t, "participant after membership update", m.Participant, &want)
		if m.NotificationLevel != parley.NotificationMuted {
			t.Errorf("notification level = %q, want muted", m.NotificationLevel)
		}
		return nil
	})
	write(t, s, func(tx parley.Tx) error {
		m, err := tx.Membership(c1, "alice")
		if err != nil {
			return err
		}
		m.NotificationLevel, m.Participant.LastReadMessageIndex, m.Participant.LastReadTimestamp = parley.NotificationDefault, nil, nil
		return tx.UpdateMembership(m)
	})
	want.LastReadMessageIndex, want.LastReadTimestamp = nil, nil
	read(t, s, func(tx parley.Tx) error {
		m, err := tx.Membership(c1, "alice")
		if err != nil {
			return err
		}
		same(t, "participant after clearing the horizon", m.Participant, &want)
		if m.NotificationLevel != parley.NotificationDefault {
			t.Errorf("notification level = %q, want default", m.NotificationLevel)
		}
		return nil
	})
	wantCode(t, s.Write(ctx, func(tx parley.Tx) error {
		return tx.UpdateMembership(&parley.Membership{Participant: &parley.Participant{SID: parley.NewSID(parley.PrefixParticipant)},
			NotificationLevel: parley.NotificationDefault})
	}), parley.CodeNotFound)

	// Deleting a conversation takes its memberships.
	write(t, s, func(tx parley.Tx) error { return tx.DeleteConversation(f.svc.SID, c1.SID) })
	checkPaging(t, s, "alice's memberships after a delete", []string{a2.SID, a3.SID}, memberships(parley.MembershipFilter{Identity: alice}), key)
}

// storedParticipant is a participant as the store returns it: times in UTC
// milliseconds.
func storedParticipant(p *parley.Participant) *parley.Participant {
	c := *p
	c.DateCreated, c.DateUpdated = ms(p.DateCreated), ms(p.DateUpdated)
	if p.LastReadTimestamp != nil {
		c.LastReadTimestamp = msp(*p.LastReadTimestamp)
	}
	return &c
}
