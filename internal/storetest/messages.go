package storetest

import (
	"testing"

	parley "github.com/parley-dev/parley"
)

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
