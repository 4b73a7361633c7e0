package storetest

import (
	"errors"
	"strconv"
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

// testReservationsSeeConversationChanges: writes committed together reserve
// one conversation's indexes between writes that change the conversation,
// some of which fail and roll back. Every reservation returns the row as the
// transaction sees it at that moment, whatever the batch reserved or
// changed before.
func testReservationsSeeConversationChanges(t *testing.T, s parley.Store) {
	f := newFixture(t, s)
	c := f.conversation(t, s, nil)
	const writers = 120
	errs := concurrentWrites(s, writers, func(tx parley.Tx, i int) error {
		if i%3 == 1 {
			now, err := tx.Conversation(f.svc.SID, c.SID)
			if err != nil {
				return err
			}
			now.FriendlyName, now.Attributes = strp("name "+strconv.Itoa(i)), `{"i":`+strconv.Itoa(i)+`}`
			if err := tx.UpdateConversation(now); err != nil {
				return err
			}
			if i%2 == 0 {
				return errRefused // rolls its change back
			}
			return nil
		}
		got, idx, _, err := tx.ReserveMessageIndexBy(f.svc.SID, c.SID, "alice")
		if err != nil {
			return err
		}
		want, err := tx.Conversation(f.svc.SID, c.SID)
		if err != nil {
			return err
		}
		if str(got.FriendlyName) != str(want.FriendlyName) || got.Attributes != want.Attributes ||
			*got.LastMessageIndex != *want.LastMessageIndex || got.MessagesCount != want.MessagesCount || idx != *want.LastMessageIndex {
			t.Errorf("writer %d: reservation saw %q %s index %d count %d, the row is %q %s index %d count %d", i,
				str(got.FriendlyName), got.Attributes, idx, got.MessagesCount,
				str(want.FriendlyName), want.Attributes, *want.LastMessageIndex, want.MessagesCount)
		}
		return tx.CreateMessage(&parley.Message{SID: parley.NewSID(parley.PrefixMessage), AccountSID: f.acct.SID, ServiceSID: f.svc.SID,
			ConversationSID: c.SID, Index: idx, Author: "alice", Attributes: "{}", DateCreated: epoch, DateUpdated: epoch})
	})
	reserved := 0
	for i, err := range errs {
		switch {
		case i%3 == 1 && i%2 == 0:
			if !errors.Is(err, errRefused) {
				t.Errorf("writer %d: %v, want its refusal", i, err)
			}
		case err != nil:
			t.Errorf("writer %d: %v", i, err)
		case i%3 != 1:
			reserved++
		}
	}
	checkContiguous(t, s, c, reserved)
}

var errRefused = errors.New("refused by the test")
