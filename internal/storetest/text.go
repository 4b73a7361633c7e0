package storetest

import (
	"testing"

	parley "github.com/parley-dev/parley"
)

// testText: text round-trips byte for byte, an empty string is not null,
// and unique keys compare exactly (case and accents count) on both engines.
func testText(t *testing.T, s parley.Store) {
	f := newFixture(t, s)
	for _, name := range []string{"", " padded\t", "émoji 🎉 ünïcödé", `quote ' and " and \ and $1 and ?1 and %`} {
		c := &parley.Conversation{SID: parley.NewSID(parley.PrefixConversation), AccountSID: f.acct.SID, ServiceSID: f.svc.SID,
			FriendlyName: strp(name), UniqueName: strp("u" + name), Attributes: "{}", State: parley.StateActive,
			Type: parley.ChannelPrivate, DateCreated: epoch, DateUpdated: epoch}
		write(t, s, func(tx parley.Tx) error { return tx.CreateConversation(c) })
		read(t, s, func(tx parley.Tx) error {
			got, err := tx.Conversation(f.svc.SID, "u"+name)
			if err == nil && (got.SID != c.SID || got.FriendlyName == nil || *got.FriendlyName != name) {
				t.Errorf("friendly name %q reads back as %v", name, got.FriendlyName)
			}
			return err
		})
	}
	c := f.conversation(t, s, strp("Room"))
	for _, name := range []string{"room", "ROOM", "Röom"} {
		f.conversation(t, s, strp(name))
	}
	for _, identity := range []string{"alice", "Alice", "ALICE", "alicé"} {
		f.participant(t, s, c, strp(identity), nil)
	}
	read(t, s, func(tx parley.Tx) error {
		got, err := tx.Participant(c.SID, "Alice")
		if err == nil && *got.Identity != "Alice" {
			t.Errorf("participant Alice found as %s", *got.Identity)
		}
		return err
	})
}

// testUnstorableText: PostgreSQL cannot hold a NUL character or invalid
// UTF-8 in text, so both engines refuse them as an invalid parameter, in
// writes and in lookups, and write nothing.
func testUnstorableText(t *testing.T, s parley.Store) {
	f := newFixture(t, s)
	c := f.conversation(t, s, nil)
	for _, bad := range []string{"a\x00b", "bad \xff utf-8", "\xed\xa0\x80"} {
		wantCode(t, s.Write(ctx, func(tx parley.Tx) error {
			return tx.CreateConversation(&parley.Conversation{SID: parley.NewSID(parley.PrefixConversation), AccountSID: f.acct.SID,
				ServiceSID: f.svc.SID, FriendlyName: strp(bad), Attributes: "{}", State: parley.StateActive,
				Type: parley.ChannelPrivate, DateCreated: epoch, DateUpdated: epoch})
		}), parley.CodeInvalidParameter)
		wantCode(t, s.Write(ctx, func(tx parley.Tx) error {
			return tx.CreateUser(&parley.User{SID: parley.NewSID(parley.PrefixUser), AccountSID: f.acct.SID, ServiceSID: f.svc.SID,
				Identity: bad, Attributes: "{}", DateCreated: epoch, DateUpdated: epoch})
		}), parley.CodeInvalidParameter)
		wantCode(t, s.Write(ctx, func(tx parley.Tx) error {
			c.Attributes = `{"k":"` + bad + `"}`
			return tx.UpdateConversation(c)
		}), parley.CodeInvalidParameter)
		wantCode(t, s.Read(ctx, func(tx parley.Tx) error { _, err := tx.Conversation(f.svc.SID, bad); return err }), parley.CodeInvalidParameter)
		wantCode(t, s.Read(ctx, func(tx parley.Tx) error { _, err := tx.Participant(c.SID, bad); return err }), parley.CodeInvalidParameter)
	}
	read(t, s, func(tx parley.Tx) error {
		page, err := tx.ListConversations(f.svc.SID, parley.ConversationFilter{}, parley.PageRequest{Size: 10})
		if err == nil && len(page.Items) != 1 {
			t.Errorf("%d conversations after refused writes, want 1", len(page.Items))
		}
		got, err := tx.Conversation(f.svc.SID, c.SID)
		if err == nil && got.Attributes != "{}" {
			t.Errorf("attributes after a refused update = %s", got.Attributes)
		}
		users, err := tx.ListUsers(f.svc.SID, parley.PageRequest{Size: 10})
		if err == nil && len(users.Items) != 0 {
			t.Errorf("%d users after refused writes", len(users.Items))
		}
		return err
	})
}
