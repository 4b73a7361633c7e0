package storetest

import (
	"errors"
	"strconv"
	"sync"
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

// testReadAheadReservations: writes that announce their reservations
// (parley.WillReserve), committed together over several conversations,
// between writes that add the authors as participants, rename or delete a
// conversation, fail, or reserve by unique name or under a wrong
// announcement. Every reservation returns the row and the author's
// participant as the transaction sees them at that moment, and each
// conversation's indexes stay contiguous.
func testReadAheadReservations(t *testing.T, s parley.Store) {
	f := newFixture(t, s)
	const rooms = 5
	var cs []*parley.Conversation
	for i := range rooms {
		cs = append(cs, f.conversation(t, s, strp("room-"+strconv.Itoa(i))))
	}
	f.participant(t, s, cs[0], strp("alice"), nil)
	f.participant(t, s, cs[1], strp("alice"), nil)
	doomed := f.conversation(t, s, nil)
	const writers = 180
	// counted[i] is whether writer i wrote a message (its function may
	// run more than once).
	counted := make([]bool, writers)
	authorOf := func(i int) string { return []string{"alice", "bob", "carol"}[i%3] }
	errs := make([]error, writers)
	var wg sync.WaitGroup
	for i := range writers {
		room := i % rooms
		c := cs[room]
		id, author := c.SID, authorOf(i/rooms)
		hint := parley.Reservation{ServiceSID: f.svc.SID, Conversation: c.SID, Author: author}
		switch i % 9 {
		case 5:
			id = str(c.UniqueName)
			hint.Conversation = id
		case 6:
			hint.ServiceSID = parley.NewSID(parley.PrefixService)
		case 7:
			hint.Conversation = doomed.SID
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = s.Write(parley.WillReserve(ctx, hint), func(tx parley.Tx) error {
				switch i % 9 {
				case 3: // the author joins, unless already in
					if _, err := tx.Participant(c.SID, author); err == nil {
						return nil
					}
					return tx.CreateParticipant(&parley.Participant{SID: parley.NewSID(parley.PrefixParticipant), AccountSID: f.acct.SID,
						ServiceSID: f.svc.SID, ConversationSID: c.SID, Identity: strp(author), Attributes: "{}", DateCreated: epoch, DateUpdated: epoch})
				case 4: // a rename, every other one refused
					now, err := tx.Conversation(f.svc.SID, c.SID)
					if err != nil {
						return err
					}
					now.FriendlyName = strp("name " + strconv.Itoa(i))
					if err := tx.UpdateConversation(now); err != nil {
						return err
					}
					if i%2 == 0 {
						return errRefused
					}
					return nil
				case 8: // a reservation that fails after the fact
					if _, _, _, err := tx.ReserveMessageIndexBy(f.svc.SID, id, author); err != nil {
						return err
					}
					return errRefused
				}
				if i == 7 {
					if err := tx.DeleteConversation(f.svc.SID, doomed.SID); err != nil {
						return err
					}
				}
				got, idx, participant, err := tx.ReserveMessageIndexBy(f.svc.SID, id, author)
				if err != nil {
					return err
				}
				want, err := tx.Conversation(f.svc.SID, c.SID)
				if err != nil {
					return err
				}
				var wantParticipant *string
				if p, err := tx.Participant(c.SID, author); err == nil {
					wantParticipant = &p.SID
				} else if !parley.IsNotFound(err) {
					return err
				}
				if str(got.FriendlyName) != str(want.FriendlyName) || *got.LastMessageIndex != *want.LastMessageIndex ||
					got.MessagesCount != want.MessagesCount || idx != *want.LastMessageIndex || str(participant) != str(wantParticipant) {
					t.Errorf("writer %d: reservation saw %q index %d count %d participant %s, the rows say %q index %d count %d participant %s",
						i, str(got.FriendlyName), idx, got.MessagesCount, str(participant),
						str(want.FriendlyName), *want.LastMessageIndex, want.MessagesCount, str(wantParticipant))
				}
				counted[i] = true
				return tx.CreateMessage(&parley.Message{SID: parley.NewSID(parley.PrefixMessage), AccountSID: f.acct.SID, ServiceSID: f.svc.SID,
					ConversationSID: c.SID, Index: idx, Author: author, Attributes: "{}", ParticipantSID: participant,
					DateCreated: epoch, DateUpdated: epoch})
			})
		}()
	}
	wg.Wait()
	for i, err := range errs {
		refused := i%9 == 8 || i%9 == 4 && i%2 == 0
		if refused != errors.Is(err, errRefused) || !refused && err != nil {
			t.Errorf("writer %d: %v (refusal expected: %v)", i, err, refused)
		}
	}
	reserved := make([]int, rooms)
	for i := range writers {
		if counted[i] && errs[i] == nil {
			reserved[i%rooms]++
		}
	}
	for room, c := range cs {
		read(t, s, func(tx parley.Tx) error {
			now, err := tx.Conversation(f.svc.SID, c.SID)
			if err == nil && (now.LastMessageIndex == nil || int(*now.LastMessageIndex) != reserved[room]-1 || now.MessagesCount != int64(reserved[room])) {
				t.Errorf("room %d: last index %v count %d after %d messages", room, now.LastMessageIndex, now.MessagesCount, reserved[room])
			}
			return err
		})
		checkContiguous(t, s, c, reserved[room])
	}
}
