package storetest

import (
	"fmt"
	"testing"

	parley "github.com/parley-dev/parley"
)

// testKeysetPaging walks a message list forwards and backwards, in both
// orders, and checks every page against the full list.
func testKeysetPaging(t *testing.T, s parley.Store) {
	f := newFixture(t, s)
	c := f.conversation(t, s, nil)
	for i := 0; i < 7; i++ {
		f.message(t, s, c, fmt.Sprint(i))
	}
	for _, desc := range []bool{false, true} {
		var forward []int64
		var after *int64
		pages := 0
		for {
			page := listIndexes(t, s, c.SID, parley.PageRequest{Size: 3, After: after, Desc: desc})
			forward = append(forward, page.Items...)
			pages++
			if !page.More {
				break
			}
			after = &page.Items[len(page.Items)-1]
		}
		want := "[0 1 2 3 4 5 6]"
		if desc {
			want = "[6 5 4 3 2 1 0]"
		}
		if got := fmt.Sprint(forward); got != want || pages != 3 {
			t.Errorf("desc=%v forward = %s in %d pages, want %s in 3", desc, got, pages, want)
		}
		// Backwards from the last item: the page before it, in natural order.
		before := forward[len(forward)-1]
		back := listIndexes(t, s, c.SID, parley.PageRequest{Size: 3, Before: &before, Desc: desc})
		if got, want := fmt.Sprint(back.Items), fmt.Sprint(forward[3:6]); got != want || !back.More {
			t.Errorf("desc=%v page before %d = %s (more=%v), want %s (more=true)", desc, before, got, back.More, want)
		}
	}
}

type indexPage struct {
	Items []int64
	More  bool
}

func listIndexes(t *testing.T, s parley.Store, conversationSID string, p parley.PageRequest) indexPage {
	t.Helper()
	var out indexPage
	read(t, s, func(tx parley.Tx) error {
		page, err := tx.ListMessages(conversationSID, p)
		for _, m := range page.Items {
			out.Items = append(out.Items, m.Index)
		}
		out.More = page.More
		return err
	})
	return out
}

// testCascades: deleting a service or a conversation takes everything inside.
func testCascades(t *testing.T, s parley.Store) {
	f := newFixture(t, s)
	c := f.conversation(t, s, strp("doomed"))
	m := f.message(t, s, c, "x")
	write(t, s, func(tx parley.Tx) error {
		return tx.CreateParticipant(&parley.Participant{SID: parley.NewSID(parley.PrefixParticipant), AccountSID: f.acct.SID,
			ServiceSID: f.svc.SID, ConversationSID: c.SID, Identity: strp("p"), Attributes: "{}", DateCreated: epoch, DateUpdated: epoch})
	})
	write(t, s, func(tx parley.Tx) error { return tx.DeleteConversation(f.svc.SID, c.SID) })
	read(t, s, func(tx parley.Tx) error {
		_, err := tx.Message(c.SID, m.SID)
		wantCode(t, err, parley.CodeNotFound)
		_, err = tx.Participant(c.SID, "p")
		wantCode(t, err, parley.CodeNotFound)
		return nil
	})
	// The unique name is free again.
	c2 := f.conversation(t, s, strp("doomed"))
	write(t, s, func(tx parley.Tx) error {
		return tx.CreateUser(&parley.User{SID: parley.NewSID(parley.PrefixUser), AccountSID: f.acct.SID, ServiceSID: f.svc.SID,
			Identity: "u", Attributes: "{}", DateCreated: epoch, DateUpdated: epoch})
	})
	write(t, s, func(tx parley.Tx) error { return tx.DeleteService(f.acct.SID, f.svc.SID) })
	read(t, s, func(tx parley.Tx) error {
		_, err := tx.Conversation(f.svc.SID, c2.SID)
		wantCode(t, err, parley.CodeNotFound)
		_, err = tx.User(f.svc.SID, "u")
		wantCode(t, err, parley.CodeNotFound)
		return nil
	})
}

// testRollback: a transaction that fails writes nothing.
func testRollback(t *testing.T, s parley.Store) {
	f := newFixture(t, s)
	c := f.conversation(t, s, nil)
	err := s.Write(ctx, func(tx parley.Tx) error {
		if _, err := tx.NextMessageIndex(c.SID); err != nil {
			return err
		}
		return parley.Errorf(parley.CodeInvalidParameter, "changed my mind")
	})
	wantCode(t, err, parley.CodeInvalidParameter)
	if m := f.message(t, s, c, "first"); m.Index != 0 {
		t.Errorf("index after a rolled-back reservation = %d, want 0", m.Index)
	}
}
