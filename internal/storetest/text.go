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
