package storetest

import (
	"testing"
	"time"

	parley "github.com/parley-dev/parley"
)

func testAccounts(t *testing.T, s parley.Store) {
	read(t, s, func(tx parley.Tx) error {
		_, err := tx.FirstAccount()
		wantCode(t, err, parley.CodeNotFound)
		return nil
	})
	f := newFixture(t, s)
	newFixtureAt(t, s, epoch.Add(time.Second)) // a second, later account
	write(t, s, func(tx parley.Tx) error {
		first, err := tx.FirstAccount()
		if err != nil {
			return err
		}
		if first.SID != f.acct.SID {
			t.Errorf("first account = %s, want %s", first.SID, f.acct.SID)
		}
		first.AuthToken, first.DefaultInactiveTimer = "rotated", strp("PT5M")
		return tx.UpdateAccount(first)
	})
	read(t, s, func(tx parley.Tx) error {
		a, err := tx.Account(f.acct.SID)
		if err != nil {
			return err
		}
		if a.AuthToken != "rotated" || a.DefaultInactiveTimer == nil || *a.DefaultInactiveTimer != "PT5M" || a.DefaultClosedTimer != nil {
			t.Errorf("account after update = %+v", a)
		}
		if !a.DateCreated.Equal(epoch) {
			t.Errorf("date_created = %v, want %v", a.DateCreated, epoch)
		}
		_, err = tx.Account(parley.NewSID(parley.PrefixAccount))
		wantCode(t, err, parley.CodeNotFound)
		return nil
	})
}

func testServices(t *testing.T, s parley.Store) {
	f := newFixture(t, s)
	other := newFixture(t, s)
	read(t, s, func(tx parley.Tx) error {
		got, err := tx.Service(f.acct.SID, f.svc.SID)
		if err != nil {
			return err
		}
		if got.FriendlyName != "svc" || got.DefaultChatServiceRoleSID != f.svc.DefaultChatServiceRoleSID || got.Seq == 0 {
			t.Errorf("service = %+v", got)
		}
		// Another account's service is not found, not forbidden.
		_, err = tx.Service(f.acct.SID, other.svc.SID)
		wantCode(t, err, parley.CodeNotFound)
		page, err := tx.ListServices(f.acct.SID, parley.PageRequest{Size: 10})
		if err != nil || len(page.Items) != 1 {
			t.Errorf("list = %d items, %v", len(page.Items), err)
		}
		return nil
	})
	role := &parley.Role{SID: parley.NewSID(parley.PrefixRole), AccountSID: f.acct.SID, ServiceSID: f.svc.SID,
		FriendlyName: "r", Type: parley.RoleTypeConversation, Permissions: []string{"sendMessage", "leaveConversation"},
		DateCreated: epoch, DateUpdated: epoch}
	write(t, s, func(tx parley.Tx) error { return tx.CreateRole(role) })
	read(t, s, func(tx parley.Tx) error {
		got, err := tx.Role(f.svc.SID, role.SID)
		if err != nil {
			return err
		}
		if len(got.Permissions) != 2 || got.Permissions[1] != "leaveConversation" {
			t.Errorf("role permissions = %v", got.Permissions)
		}
		return nil
	})
	err := s.Write(ctx, func(tx parley.Tx) error { return tx.DeleteService(f.acct.SID, other.svc.SID) })
	wantCode(t, err, parley.CodeNotFound)
}

func testConversations(t *testing.T, s parley.Store) {
	f := newFixture(t, s)
	c := f.conversation(t, s, strp("room"))
	inactive := epoch.Add(time.Hour)
	write(t, s, func(tx parley.Tx) error {
		got, err := tx.Conversation(f.svc.SID, "room")
		if err != nil {
			return err
		}
		got.FriendlyName, got.State, got.TimerInactive, got.DateInactive = strp("Room"), parley.StateInactive, strp("PT1H"), &inactive
		return tx.UpdateConversation(got)
	})
	read(t, s, func(tx parley.Tx) error {
		got, err := tx.Conversation(f.svc.SID, c.SID)
		if err != nil {
			return err
		}
		if *got.FriendlyName != "Room" || got.State != parley.StateInactive || !got.DateInactive.Equal(inactive) || got.DateClosed != nil {
			t.Errorf("conversation after update = %+v", got)
		}
		if got.LastMessageIndex != nil {
			t.Errorf("last message index = %d before any message", *got.LastMessageIndex)
		}
		page, err := tx.ListConversations(f.svc.SID, parley.ConversationFilter{State: parley.StateActive}, parley.PageRequest{Size: 10})
		if err != nil || len(page.Items) != 0 {
			t.Errorf("state filter: %d items, %v", len(page.Items), err)
		}
		from := epoch.Add(-time.Minute)
		page, err = tx.ListConversations(f.svc.SID, parley.ConversationFilter{StartDate: &from, EndDate: &inactive}, parley.PageRequest{Size: 10})
		if err != nil || len(page.Items) != 1 {
			t.Errorf("date filter: %d items, %v", len(page.Items), err)
		}
		return nil
	})
	write(t, s, func(tx parley.Tx) error { return tx.DeleteConversation(f.svc.SID, c.SID) })
	err := s.Write(ctx, func(tx parley.Tx) error { return tx.DeleteConversation(f.svc.SID, c.SID) })
	wantCode(t, err, parley.CodeNotFound)
}

func testUniqueNames(t *testing.T, s parley.Store) {
	f := newFixture(t, s)
	other := newFixture(t, s)
	f.conversation(t, s, strp("same"))
	other.conversation(t, s, strp("same")) // unique per service, not globally
	f.conversation(t, s, nil)
	f.conversation(t, s, nil) // many conversations without a unique name
	err := s.Write(ctx, func(tx parley.Tx) error {
		return tx.CreateConversation(&parley.Conversation{SID: parley.NewSID(parley.PrefixConversation), AccountSID: f.acct.SID,
			ServiceSID: f.svc.SID, UniqueName: strp("same"), Attributes: "{}", State: parley.StateActive, DateCreated: epoch, DateUpdated: epoch})
	})
	wantCode(t, err, parley.CodeConversationExists)
}

func testParticipants(t *testing.T, s parley.Store) {
	f := newFixture(t, s)
	c := f.conversation(t, s, nil)
	p := &parley.Participant{SID: parley.NewSID(parley.PrefixParticipant), AccountSID: f.acct.SID, ServiceSID: f.svc.SID,
		ConversationSID: c.SID, Identity: strp("alice"), Attributes: "{}", RoleSID: strp(f.svc.DefaultConversationRoleSID),
		DateCreated: epoch, DateUpdated: epoch}
	write(t, s, func(tx parley.Tx) error { return tx.CreateParticipant(p) })
	dup := *p
	dup.SID = parley.NewSID(parley.PrefixParticipant)
	wantCode(t, s.Write(ctx, func(tx parley.Tx) error { return tx.CreateParticipant(&dup) }), parley.CodeParticipantExists)
	read(t, s, func(tx parley.Tx) error {
		got, err := tx.Participant(c.SID, "alice")
		if err != nil {
			return err
		}
		if got.SID != p.SID || got.MessagingBinding != nil || got.LastReadMessageIndex != nil {
			t.Errorf("participant = %+v", got)
		}
		return nil
	})
	idx := int64(7)
	write(t, s, func(tx parley.Tx) error {
		p.LastReadMessageIndex, p.LastReadTimestamp, p.Attributes = &idx, &epoch, `{"a":1}`
		return tx.UpdateParticipant(p)
	})
	read(t, s, func(tx parley.Tx) error {
		got, err := tx.Participant(c.SID, p.SID)
		if err != nil {
			return err
		}
		if got.LastReadMessageIndex == nil || *got.LastReadMessageIndex != 7 || got.Attributes != `{"a":1}` {
			t.Errorf("participant after update = %+v", got)
		}
		return nil
	})
	write(t, s, func(tx parley.Tx) error { return tx.DeleteParticipant(c.SID, p.SID) })
	wantCode(t, s.Read(ctx, func(tx parley.Tx) error { _, err := tx.Participant(c.SID, p.SID); return err }), parley.CodeNotFound)
}

func testMessages(t *testing.T, s parley.Store) {
	f := newFixture(t, s)
	c := f.conversation(t, s, nil)
	a := f.message(t, s, c, "a")
	b := f.message(t, s, c, "b")
	if a.Index != 0 || b.Index != 1 {
		t.Fatalf("indexes = %d, %d, want 0, 1", a.Index, b.Index)
	}
	write(t, s, func(tx parley.Tx) error { return tx.DeleteMessage(c.SID, b.SID) })
	if next := f.message(t, s, c, "c"); next.Index != 2 {
		t.Errorf("index after deleting the last message = %d, want 2 (never reused)", next.Index)
	}
	write(t, s, func(tx parley.Tx) error {
		a.Body, a.Attributes, a.DateUpdated = strp("edited"), `{"e":true}`, epoch.Add(time.Minute)
		return tx.UpdateMessage(a)
	})
	read(t, s, func(tx parley.Tx) error {
		got, err := tx.Message(c.SID, a.SID)
		if err != nil {
			return err
		}
		if *got.Body != "edited" || got.Attributes != `{"e":true}` || !got.DateUpdated.Equal(epoch.Add(time.Minute)) {
			t.Errorf("message after update = %+v", got)
		}
		conv, err := tx.Conversation(f.svc.SID, c.SID)
		if err != nil {
			return err
		}
		if conv.LastMessageIndex == nil || *conv.LastMessageIndex != 2 {
			t.Errorf("last message index = %v, want 2", conv.LastMessageIndex)
		}
		return nil
	})
	wantCode(t, s.Write(ctx, func(tx parley.Tx) error {
		_, err := tx.NextMessageIndex(parley.NewSID(parley.PrefixConversation))
		return err
	}), parley.CodeNotFound)
}

func testUsers(t *testing.T, s parley.Store) {
	f := newFixture(t, s)
	u := &parley.User{SID: parley.NewSID(parley.PrefixUser), AccountSID: f.acct.SID, ServiceSID: f.svc.SID, Identity: "bob",
		Attributes: "{}", RoleSID: strp(f.svc.DefaultChatServiceRoleSID), DateCreated: epoch, DateUpdated: epoch}
	write(t, s, func(tx parley.Tx) error { return tx.CreateUser(u) })
	dup := *u
	dup.SID = parley.NewSID(parley.PrefixUser)
	wantCode(t, s.Write(ctx, func(tx parley.Tx) error { return tx.CreateUser(&dup) }), parley.CodeUserExists)
	write(t, s, func(tx parley.Tx) error {
		u.FriendlyName = strp("Bob")
		return tx.UpdateUser(u)
	})
	read(t, s, func(tx parley.Tx) error {
		got, err := tx.User(f.svc.SID, "bob")
		if err != nil {
			return err
		}
		if got.SID != u.SID || *got.FriendlyName != "Bob" {
			t.Errorf("user = %+v", got)
		}
		page, err := tx.ListUsers(f.svc.SID, parley.PageRequest{Size: 5})
		if err != nil || len(page.Items) != 1 {
			t.Errorf("users list = %d, %v", len(page.Items), err)
		}
		return nil
	})
	write(t, s, func(tx parley.Tx) error { return tx.DeleteUser(f.svc.SID, u.SID) })
}
