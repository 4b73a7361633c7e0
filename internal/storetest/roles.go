package storetest

import (
	"testing"

	parley "github.com/parley-dev/parley"
)

func (f fixture) role(t *testing.T, s parley.Store, name, typ string, perms []string, n int) *parley.Role {
	t.Helper()
	r := &parley.Role{SID: parley.NewSID(parley.PrefixRole), AccountSID: f.acct.SID, ServiceSID: f.svc.SID,
		FriendlyName: name, Type: typ, Permissions: perms, DateCreated: stamp(n), DateUpdated: stamp(n + 1)}
	write(t, s, func(tx parley.Tx) error { return tx.CreateRole(r) })
	if r.Seq == 0 {
		t.Errorf("role %s created without a seq", name)
	}
	return r
}

func testRoles(t *testing.T, s parley.Store) {
	f := newFixture(t, s)
	other := newFixture(t, s)
	r1 := f.role(t, s, "writer", parley.RoleTypeConversation, []string{"sendMessage", "leaveConversation"}, 1)
	r2 := f.role(t, s, "admin", parley.RoleTypeService, nil, 2)
	r3 := f.role(t, s, "reader", parley.RoleTypeConversation, []string{}, 3)
	read(t, s, func(tx parley.Tx) error {
		got, err := tx.Role(f.svc.SID, r1.SID)
		if err != nil {
			return err
		}
		same(t, "role", got, &parley.Role{Seq: r1.Seq, SID: r1.SID, AccountSID: f.acct.SID, ServiceSID: f.svc.SID,
			FriendlyName: "writer", Type: parley.RoleTypeConversation, Permissions: []string{"sendMessage", "leaveConversation"},
			DateCreated: ms(stamp(1)), DateUpdated: ms(stamp(2))})
		got, err = tx.Role(f.svc.SID, r2.SID)
		if err != nil {
			return err
		}
		if got.Permissions == nil || len(got.Permissions) != 0 {
			t.Errorf("role created without permissions reads back %#v, want an empty list", got.Permissions)
		}
		return nil
	})
	gone(t, s, "role of another service", func(tx parley.Tx) error { _, err := tx.Role(other.svc.SID, r1.SID); return err })
	gone(t, s, "unknown role", func(tx parley.Tx) error { _, err := tx.Role(f.svc.SID, parley.NewSID(parley.PrefixRole)); return err })
	checkPaging(t, s, "roles", []string{r1.SID, r2.SID, r3.SID},
		func(tx parley.Tx, p parley.PageRequest) (parley.Page[*parley.Role], error) {
			return tx.ListRoles(f.svc.SID, p)
		},
		func(r *parley.Role) (string, int64) { return r.SID, r.Seq })
	read(t, s, func(tx parley.Tx) error {
		page, err := tx.ListRoles(other.svc.SID, parley.PageRequest{Size: 10})
		if err == nil && len(page.Items) != 0 {
			t.Errorf("another service lists %d roles", len(page.Items))
		}
		return err
	})

	// UpdateRole writes the permissions and date_updated only.
	write(t, s, func(tx parley.Tx) error {
		changed := *r1
		changed.FriendlyName, changed.Type = "renamed", parley.RoleTypeService
		changed.Permissions, changed.DateUpdated = []string{"deleteOwnMessage"}, stamp(9)
		return tx.UpdateRole(&changed)
	})
	read(t, s, func(tx parley.Tx) error {
		got, err := tx.Role(f.svc.SID, r1.SID)
		if err != nil {
			return err
		}
		same(t, "role after update", got, &parley.Role{Seq: r1.Seq, SID: r1.SID, AccountSID: f.acct.SID, ServiceSID: f.svc.SID,
			FriendlyName: "writer", Type: parley.RoleTypeConversation, Permissions: []string{"deleteOwnMessage"},
			DateCreated: ms(stamp(1)), DateUpdated: ms(stamp(9))})
		return nil
	})
	missing := *r1
	missing.SID = parley.NewSID(parley.PrefixRole)
	wantCode(t, s.Write(ctx, func(tx parley.Tx) error { return tx.UpdateRole(&missing) }), parley.CodeNotFound)

	// A role is in use while a user, a participant or a service default refers to it.
	inUse := func(r *parley.Role) bool {
		t.Helper()
		var used bool
		read(t, s, func(tx parley.Tx) (err error) { used, err = tx.RoleInUse(f.svc.SID, r.SID); return err })
		return used
	}
	if inUse(r1) || inUse(r2) || inUse(r3) {
		t.Errorf("fresh roles in use: %v %v %v", inUse(r1), inUse(r2), inUse(r3))
	}
	write(t, s, func(tx parley.Tx) error {
		return tx.CreateUser(&parley.User{SID: parley.NewSID(parley.PrefixUser), AccountSID: f.acct.SID, ServiceSID: f.svc.SID,
			Identity: "u", Attributes: "{}", RoleSID: &r2.SID, DateCreated: epoch, DateUpdated: epoch})
	})
	c := f.conversation(t, s, nil)
	p := f.participant(t, s, c, strp("p"), nil)
	write(t, s, func(tx parley.Tx) error { p.RoleSID = &r1.SID; return tx.UpdateParticipant(p) })
	svc := *f.svc
	svc.DefaultConversationCreatorRoleSID = r3.SID
	write(t, s, func(tx parley.Tx) error { return tx.UpdateServiceConfiguration(&svc) })
	if !inUse(r1) || !inUse(r2) || !inUse(r3) {
		t.Errorf("roles in use: %v %v %v, want all", inUse(r1), inUse(r2), inUse(r3))
	}
	read(t, s, func(tx parley.Tx) error {
		used, err := tx.RoleInUse(other.svc.SID, r1.SID)
		if used {
			t.Error("a role is in use in another service")
		}
		return err
	})

	write(t, s, func(tx parley.Tx) error { return tx.DeleteRole(f.svc.SID, r1.SID) })
	gone(t, s, "deleted role", func(tx parley.Tx) error { _, err := tx.Role(f.svc.SID, r1.SID); return err })
	wantCode(t, s.Write(ctx, func(tx parley.Tx) error { return tx.DeleteRole(f.svc.SID, r1.SID) }), parley.CodeNotFound)
	wantCode(t, s.Write(ctx, func(tx parley.Tx) error { return tx.DeleteRole(other.svc.SID, r2.SID) }), parley.CodeNotFound)

	write(t, s, func(tx parley.Tx) error { return tx.DeleteService(f.acct.SID, f.svc.SID) })
	gone(t, s, "role of a deleted service", func(tx parley.Tx) error { _, err := tx.Role(f.svc.SID, r2.SID); return err })
}

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

func testCountMessagesAfter(t *testing.T, s parley.Store) {
	f := newFixture(t, s)
	c := f.conversation(t, s, nil)
	empty := f.conversation(t, s, nil)
	var msgs []*parley.Message
	for i := 0; i < 6; i++ {
		msgs = append(msgs, f.message(t, s, c, "m"))
	}
	write(t, s, func(tx parley.Tx) error { return tx.DeleteMessage(c.SID, msgs[4].SID) })
	for _, tc := range []struct {
		conversation string
		after        int64
		limit        int
		want         int64
	}{
		{c.SID, -1, 100, 5},
		{c.SID, 1, 100, 3}, // 2, 3 and 5: 4 was deleted
		{c.SID, 1, 2, 2},
		{c.SID, 5, 100, 0},
		{empty.SID, -1, 100, 0},
		{parley.NewSID(parley.PrefixConversation), -1, 100, 0},
	} {
		read(t, s, func(tx parley.Tx) error {
			n, err := tx.CountMessagesAfter(tc.conversation, tc.after, tc.limit)
			if n != tc.want {
				t.Errorf("CountMessagesAfter(after %d, limit %d) = %d, want %d", tc.after, tc.limit, n, tc.want)
			}
			return err
		})
	}
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
