package storetest

import (
	"testing"

	parley "github.com/parley-dev/parley"
)

// testReserveMessageIndexBy: the reservation also finds the author's
// participant (none for an author who is not one), and the message written
// with that index stores and reports it as CreateMessage's own look-up
// would.
func testReserveMessageIndexBy(t *testing.T, s parley.Store) {
	f := newFixture(t, s)
	c := f.conversation(t, s, nil)
	p := f.participant(t, s, c, strp("alice"), nil)
	for i, author := range []string{"alice", "system"} {
		var m *parley.Message
		write(t, s, func(tx parley.Tx) error {
			_, idx, participant, err := tx.ReserveMessageIndexBy(f.svc.SID, c.SID, author)
			if err != nil {
				return err
			}
			if idx != int64(i) {
				t.Errorf("index %d, want %d", idx, i)
			}
			m = &parley.Message{SID: parley.NewSID(parley.PrefixMessage), AccountSID: f.acct.SID, ServiceSID: f.svc.SID,
				ConversationSID: c.SID, Index: idx, Author: author, Attributes: "{}", ParticipantSID: participant,
				DateCreated: epoch, DateUpdated: epoch}
			return tx.CreateMessage(m)
		})
		want := (*string)(nil)
		if author == "alice" {
			want = &p.SID
		}
		read(t, s, func(tx parley.Tx) error {
			got, err := tx.Message(c.SID, m.SID)
			if err == nil && (str(got.ParticipantSID) != str(want) || str(m.ParticipantSID) != str(want)) {
				t.Errorf("%s: participant stored %q, reported %q, want %q", author, str(got.ParticipantSID), str(m.ParticipantSID), str(want))
			}
			return err
		})
	}
	checkContiguous(t, s, c, 2)
}

func str(p *string) string {
	if p == nil {
		return "<nil>"
	}
	return *p
}
