package storetest

import (
	"fmt"
	"testing"

	parley "github.com/parley-dev/parley"
)

// channel creates a Chat channel of type typ.
func (f fixture) channel(t *testing.T, s parley.Store, typ string) *parley.Conversation {
	t.Helper()
	c := &parley.Conversation{SID: parley.NewSID(parley.PrefixConversation), AccountSID: f.acct.SID, ServiceSID: f.svc.SID,
		FriendlyName: strp("channel"), Attributes: "{}", State: parley.StateActive, Type: typ, CreatedBy: strp("creator"),
		DateCreated: epoch, DateUpdated: epoch}
	write(t, s, func(tx parley.Tx) error { return tx.CreateConversation(c) })
	return c
}

// storedConversation is a conversation as the store returns it.
func storedConversation(c *parley.Conversation) *parley.Conversation {
	v := *c
	v.DateCreated, v.DateUpdated = ms(c.DateCreated), ms(c.DateUpdated)
	if c.DateInactive != nil {
		v.DateInactive = msp(*c.DateInactive)
	}
	if c.DateClosed != nil {
		v.DateClosed = msp(*c.DateClosed)
	}
	return &v
}

func testChatService(t *testing.T, s parley.Store) {
	f := newFixture(t, s)
	read(t, s, func(tx parley.Tx) error {
		got, err := tx.Service(f.acct.SID, f.svc.SID)
		if err != nil {
			return err
		}
		// The fixture wrote zero Chat settings, which read back as written.
		same(t, "chat settings as created", got.Chat, parley.ChatSettings{WebhookMethod: "POST", WebhookFilters: []string{},
			Notifications: parley.ChatNotifications{NewMessage: parley.ChatNotification{BadgeCountEnabled: boolp(false)}}})
		return nil
	})
	svc := *f.svc
	svc.FriendlyName, svc.ReachabilityEnabled, svc.DateUpdated = "Chat", true, stamp(4)
	svc.DefaultConversationCreatorRoleSID = parley.NewSID(parley.PrefixRole)
	svc.DefaultConversationRoleSID = parley.NewSID(parley.PrefixRole)
	svc.DefaultChatServiceRoleSID = parley.NewSID(parley.PrefixRole)
	svc.Chat = parley.ChatSettings{ReadStatusEnabled: false, TypingIndicatorTimeout: 7, ConsumptionReportInterval: 11,
		ChannelMembersLimit: 3, UserChannelsLimit: 4, PreWebhookRetryCount: 1, PostWebhookRetryCount: 2,
		// The webhook fields belong to the webhook configuration and are not stored here.
		PreWebhookURL: strp("https://pre.example"), PostWebhookURL: strp("https://post.example"), WebhookMethod: "GET",
		WebhookFilters: []string{"onMessageSend"},
		Notifications: parley.ChatNotifications{LogEnabled: true,
			NewMessage:         parley.ChatNotification{Enabled: true, Template: strp("${MESSAGE}"), Sound: strp("ding"), BadgeCountEnabled: boolp(true)},
			AddedToChannel:     parley.ChatNotification{Enabled: true, Template: strp("added"), Sound: nil},
			RemovedFromChannel: parley.ChatNotification{Enabled: false, Template: nil, Sound: strp("bye")},
			InvitedToChannel:   parley.ChatNotification{Enabled: true, Template: strp("invited"), Sound: strp("knock"), BadgeCountEnabled: boolp(false)},
		},
		MediaCompatibilityMessage: strp("media here"),
	}
	write(t, s, func(tx parley.Tx) error { return tx.UpdateService(&svc) })
	read(t, s, func(tx parley.Tx) error {
		got, err := tx.Service(f.acct.SID, f.svc.SID)
		if err != nil {
			return err
		}
		want := svc
		want.Chat.PreWebhookURL, want.Chat.PostWebhookURL = nil, nil
		want.Chat.WebhookMethod, want.Chat.WebhookFilters = "POST", []string{}
		want.DateCreated, want.DateUpdated = ms(epoch), ms(stamp(4))
		same(t, "service after update", got, &want)
		return nil
	})
	missing := svc
	missing.SID = parley.NewSID(parley.PrefixService)
	wantCode(t, s.Write(ctx, func(tx parley.Tx) error { return tx.UpdateService(&missing) }), parley.CodeNotFound)
}

func testChannels(t *testing.T, s parley.Store) {
	f := newFixture(t, s)
	full := &parley.Conversation{SID: parley.NewSID(parley.PrefixConversation), AccountSID: f.acct.SID, ServiceSID: f.svc.SID,
		MessagingServiceSID: strp("MG00000000000000000000000000000000"), FriendlyName: strp("Full"), UniqueName: strp("full"),
		Attributes: `{"k":"v"}`, State: parley.StateInactive, TimerInactive: strp("PT1M"), TimerClosed: strp("PT2M"),
		DateInactive: timep(stamp(10)), DateClosed: timep(stamp(20)), Type: parley.ChannelPublic, CreatedBy: strp("alice"),
		DateCreated: stamp(1), DateUpdated: stamp(2)}
	bare := &parley.Conversation{SID: parley.NewSID(parley.PrefixConversation), AccountSID: f.acct.SID, ServiceSID: f.svc.SID,
		Attributes: "{}", State: parley.StateActive, Type: parley.ChannelPrivate, DateCreated: stamp(3), DateUpdated: stamp(3)}
	write(t, s, func(tx parley.Tx) error {
		if err := tx.CreateConversation(full); err != nil {
			return err
		}
		return tx.CreateConversation(bare)
	})
	read(t, s, func(tx parley.Tx) error {
		for _, c := range []*parley.Conversation{full, bare} {
			got, err := tx.Conversation(f.svc.SID, c.SID)
			if err != nil {
				return err
			}
			same(t, "conversation", got, storedConversation(c))
			got, err = tx.LockConversation(c.SID)
			if err != nil {
				return err
			}
			same(t, "locked conversation", got, storedConversation(c))
		}
		_, err := tx.LockConversation(parley.NewSID(parley.PrefixConversation))
		wantCode(t, err, parley.CodeNotFound)
		return nil
	})

	// Every field updates, to a value or back to null.
	updated := *full
	updated.MessagingServiceSID, updated.FriendlyName, updated.UniqueName = nil, nil, nil
	updated.TimerInactive, updated.TimerClosed, updated.DateInactive, updated.DateClosed = nil, nil, nil, nil
	updated.Attributes, updated.State, updated.Type, updated.CreatedBy = "{}", parley.StateClosed, parley.ChannelPrivate, nil
	updated.DateCreated, updated.DateUpdated = stamp(5), stamp(6)
	write(t, s, func(tx parley.Tx) error { return tx.UpdateConversation(&updated) })
	filled := *bare
	filled.MessagingServiceSID, filled.FriendlyName, filled.UniqueName = strp("MG11111111111111111111111111111111"), strp("F"), strp("full")
	filled.TimerInactive, filled.TimerClosed, filled.DateInactive, filled.DateClosed = strp("PT3M"), strp("PT4M"), timep(stamp(30)), timep(stamp(40))
	filled.Type, filled.CreatedBy, filled.DateUpdated = parley.ChannelPublic, strp("bob"), stamp(7)
	write(t, s, func(tx parley.Tx) error { return tx.UpdateConversation(&filled) }) // "full" is free again
	read(t, s, func(tx parley.Tx) error {
		for _, c := range []*parley.Conversation{&updated, &filled} {
			got, err := tx.Conversation(f.svc.SID, c.SID)
			if err != nil {
				return err
			}
			same(t, "conversation after update", got, storedConversation(c))
		}
		return nil
	})
	// Taking another conversation's unique name is 50353.
	taken := updated
	taken.UniqueName = strp("full")
	wantCode(t, s.Write(ctx, func(tx parley.Tx) error { return tx.UpdateConversation(&taken) }), parley.CodeConversationExists)
	missing := updated
	missing.SID = parley.NewSID(parley.PrefixConversation)
	wantCode(t, s.Write(ctx, func(tx parley.Tx) error { return tx.UpdateConversation(&missing) }), parley.CodeNotFound)
}

func testChannelTypesAndCounters(t *testing.T, s parley.Store) {
	f := newFixture(t, s)
	var public []string
	for i := 0; i < 3; i++ {
		public = append(public, f.channel(t, s, parley.ChannelPublic).SID)
		f.channel(t, s, parley.ChannelPrivate)
	}
	checkPaging(t, s, "public channels", public,
		func(tx parley.Tx, p parley.PageRequest) (parley.Page[*parley.Conversation], error) {
			return tx.ListConversations(f.svc.SID, parley.ConversationFilter{Type: parley.ChannelPublic}, p)
		},
		func(c *parley.Conversation) (string, int64) { return c.SID, c.Seq })

	// The member and message counters follow the rows.
	c := f.channel(t, s, parley.ChannelPrivate)
	counts := func(members, messages int64) {
		t.Helper()
		read(t, s, func(tx parley.Tx) error {
			got, err := tx.Conversation(f.svc.SID, c.SID)
			if err == nil && (got.MembersCount != members || got.MessagesCount != messages) {
				t.Errorf("counters = %d members, %d messages, want %d, %d", got.MembersCount, got.MessagesCount, members, messages)
			}
			return err
		})
	}
	counts(0, 0)
	a := f.participant(t, s, c, strp("a"), nil)
	f.participant(t, s, c, nil, strp("+15550001111"))
	m := f.message(t, s, c, "1")
	f.message(t, s, c, "2")
	counts(2, 2)
	write(t, s, func(tx parley.Tx) error { return tx.DeleteParticipant(c.SID, a.SID) })
	write(t, s, func(tx parley.Tx) error { return tx.DeleteMessage(c.SID, m.SID) })
	counts(1, 1)
	// A refused duplicate leaves the counter alone.
	_ = s.Write(ctx, func(tx parley.Tx) error {
		return tx.CreateParticipant(&parley.Participant{SID: parley.NewSID(parley.PrefixParticipant), AccountSID: f.acct.SID,
			ServiceSID: f.svc.SID, ConversationSID: c.SID, Identity: strp("b"), Attributes: "{}", DateCreated: epoch, DateUpdated: epoch})
	})
	wantCode(t, s.Write(ctx, func(tx parley.Tx) error {
		return tx.CreateParticipant(&parley.Participant{SID: parley.NewSID(parley.PrefixParticipant), AccountSID: f.acct.SID,
			ServiceSID: f.svc.SID, ConversationSID: c.SID, Identity: strp("b"), Attributes: "{}", DateCreated: epoch, DateUpdated: epoch})
	}), parley.CodeParticipantExists)
	counts(2, 1)
	wantCode(t, s.Write(ctx, func(tx parley.Tx) error { return tx.DeleteParticipant(c.SID, a.SID) }), parley.CodeNotFound)
	wantCode(t, s.Write(ctx, func(tx parley.Tx) error { return tx.DeleteMessage(c.SID, m.SID) }), parley.CodeNotFound)
	counts(2, 1)
}

func testMembers(t *testing.T, s parley.Store) {
	f := newFixture(t, s)
	c := f.channel(t, s, parley.ChannelPublic)
	var all []string
	for _, id := range []string{"a", "b", "c", "d"} {
		all = append(all, f.participant(t, s, c, strp(id), nil).SID)
	}
	members := func(identities []string) lister[*parley.Participant] {
		return func(tx parley.Tx, p parley.PageRequest) (parley.Page[*parley.Participant], error) {
			return tx.ListMembers(c.SID, identities, p)
		}
	}
	key := func(p *parley.Participant) (string, int64) { return p.SID, p.Seq }
	checkPaging(t, s, "members", all, members(nil), key)
	checkPaging(t, s, "members a, c, d", []string{all[0], all[2], all[3]}, members([]string{"d", "a", "c", "zz"}), key)
	checkPaging(t, s, "participants", all,
		func(tx parley.Tx, p parley.PageRequest) (parley.Page[*parley.Participant], error) {
			return tx.ListParticipants(c.SID, p)
		}, key)
}

func (f fixture) invite(t *testing.T, s parley.Store, channel *parley.Conversation, identity string, role, by *string, n int) *parley.Invite {
	t.Helper()
	i := &parley.Invite{SID: parley.NewSID(parley.PrefixInvite), AccountSID: f.acct.SID, ServiceSID: f.svc.SID,
		ChannelSID: channel.SID, Identity: identity, RoleSID: role, CreatedBy: by, DateCreated: stamp(n), DateUpdated: stamp(n + 1)}
	write(t, s, func(tx parley.Tx) error { return tx.CreateInvite(i) })
	if i.Seq == 0 {
		t.Errorf("invite created without a seq")
	}
	return i
}

func storedInvite(i *parley.Invite) *parley.Invite {
	v := *i
	v.DateCreated, v.DateUpdated = ms(i.DateCreated), ms(i.DateUpdated)
	return &v
}

func testInvites(t *testing.T, s parley.Store) {
	f := newFixture(t, s)
	ch := f.channel(t, s, parley.ChannelPrivate)
	ch2 := f.channel(t, s, parley.ChannelPublic)
	role := parley.NewSID(parley.PrefixRole)
	i1 := f.invite(t, s, ch, "alice", &role, strp("admin"), 1)
	i2 := f.invite(t, s, ch, "bob", nil, nil, 2)
	i3 := f.invite(t, s, ch, "carol", nil, nil, 3)
	a2 := f.invite(t, s, ch2, "alice", nil, nil, 4) // one invite per identity and channel
	read(t, s, func(tx parley.Tx) error {
		for _, i := range []*parley.Invite{i1, i2, a2} {
			got, err := tx.Invite(i.ChannelSID, i.SID)
			if err != nil {
				return err
			}
			same(t, "invite", got, storedInvite(i))
		}
		_, err := tx.Invite(ch2.SID, i1.SID)
		wantCode(t, err, parley.CodeNotFound)
		return nil
	})
	dup := *i1
	dup.SID = parley.NewSID(parley.PrefixInvite)
	wantCode(t, s.Write(ctx, func(tx parley.Tx) error { return tx.CreateInvite(&dup) }), parley.CodeInviteExists)

	key := func(i *parley.Invite) (string, int64) { return i.SID, i.Seq }
	invites := func(identities []string) lister[*parley.Invite] {
		return func(tx parley.Tx, p parley.PageRequest) (parley.Page[*parley.Invite], error) {
			return tx.ListInvites(ch.SID, identities, p)
		}
	}
	checkPaging(t, s, "invites", []string{i1.SID, i2.SID, i3.SID}, invites(nil), key)
	checkPaging(t, s, "invites of alice and carol", []string{i1.SID, i3.SID}, invites([]string{"carol", "alice"}), key)
	a3 := f.invite(t, s, f.channel(t, s, parley.ChannelPrivate), "alice", nil, nil, 5)
	userInvites := func(identity string) lister[*parley.Invite] {
		return func(tx parley.Tx, p parley.PageRequest) (parley.Page[*parley.Invite], error) {
			return tx.ListUserInvites(f.svc.SID, identity, p)
		}
	}
	checkPaging(t, s, "alice's invites", []string{i1.SID, a2.SID, a3.SID}, userInvites("alice"), key)

	write(t, s, func(tx parley.Tx) error { return tx.DeleteInvite(ch.SID, i2.SID) })
	gone(t, s, "deleted invite", func(tx parley.Tx) error { _, err := tx.Invite(ch.SID, i2.SID); return err })
	wantCode(t, s.Write(ctx, func(tx parley.Tx) error { return tx.DeleteInvite(ch.SID, i2.SID) }), parley.CodeNotFound)
	wantCode(t, s.Write(ctx, func(tx parley.Tx) error { return tx.DeleteInvite(ch2.SID, i3.SID) }), parley.CodeNotFound)
	write(t, s, func(tx parley.Tx) error {
		if err := tx.DeleteInvitesOf(ch.SID, "carol"); err != nil {
			return err
		}
		return tx.DeleteInvitesOf(ch.SID, "nobody") // no invite: nothing to do
	})
	checkPaging(t, s, "invites after deletes", []string{i1.SID}, invites(nil), key)
	// Once deleted, an identity can be invited again.
	again := f.invite(t, s, ch, "bob", nil, nil, 6)

	// Deleting a channel takes its invites.
	write(t, s, func(tx parley.Tx) error { return tx.DeleteConversation(f.svc.SID, ch2.SID) })
	checkPaging(t, s, "alice's invites after a channel delete", []string{i1.SID, a3.SID}, userInvites("alice"), key)
	write(t, s, func(tx parley.Tx) error { return tx.DeleteService(f.acct.SID, f.svc.SID) })
	gone(t, s, "invite of a deleted service", func(tx parley.Tx) error { _, err := tx.Invite(ch.SID, again.SID); return err })
}

func testChatUsers(t *testing.T, s parley.Store) {
	f := newFixture(t, s)
	other := newFixture(t, s)
	open1, open2 := f.channel(t, s, parley.ChannelPublic), f.conversation(t, s, nil)
	closed := f.channel(t, s, parley.ChannelPrivate)
	write(t, s, func(tx parley.Tx) error {
		closed.State = parley.StateClosed
		return tx.UpdateConversation(closed)
	})
	for _, c := range []*parley.Conversation{open1, open2, closed} {
		f.participant(t, s, c, strp("alice"), nil)
	}
	f.participant(t, s, open1, strp("bob"), nil)
	other.participant(t, s, other.conversation(t, s, nil), strp("alice"), nil)
	read(t, s, func(tx parley.Tx) error {
		counts, err := tx.JoinedChannelsCounts(f.svc.SID, []string{"alice", "bob", "carol"})
		if err != nil {
			return err
		}
		if got := fmt.Sprint(counts); got != "map[alice:3 bob:1]" {
			t.Errorf("joined channel counts = %s, want map[alice:3 bob:1]", got)
		}
		counts, err = tx.JoinedChannelsCounts(f.svc.SID, nil)
		if err != nil || len(counts) != 0 {
			t.Errorf("counts of no identities = %v, %v", counts, err)
		}
		for _, tc := range []struct {
			identity, except string
			want             int64
		}{
			{"alice", "", 2}, // the closed channel does not count
			{"alice", open1.SID, 1},
			{"alice", closed.SID, 2},
			{"bob", open1.SID, 0},
			{"carol", "", 0},
		} {
			n, err := tx.CountOpenMemberships(f.svc.SID, tc.identity, tc.except)
			if err != nil {
				return err
			}
			if n != tc.want {
				t.Errorf("CountOpenMemberships(%s, except %q) = %d, want %d", tc.identity, tc.except, n, tc.want)
			}
		}
		return nil
	})
}
