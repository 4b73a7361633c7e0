package store

import (
	"strings"

	parley "github.com/parley-dev/parley"
)

// A batch of a hot conversation's messages reserves its indexes one after
// the other on the same row. The first reservation reads the whole row; the
// next ones of the batch change only the index and the count, so they ask
// for just those and take the rest from the first (reading and scanning the
// twenty columns was most of a reservation's cost on SQLite). The row cannot
// change under the batch from outside: SQLite has one writer, and on
// PostgreSQL the first UPDATE holds the row's lock until the commit.
//
// A batch may also read its writes' conversations ahead, all in one
// statement (see lockAhead), with the participants of the authors who will
// post to them. Then a reservation needs no answer from the database at all:
// the row and the participant are known, and the UPDATE that takes the next
// index goes out without waiting (on PostgreSQL, with the next statement
// that does wait). The memo then keeps each row exactly as the database has
// it, because the reservations apply their own UPDATEs to it.
//
// Inside the batch, any statement that may change a conversation or a
// participant (anything but a SELECT or an INSERT into another table, or a
// reservation's own UPDATE), and any rollback to a savepoint, forgets what
// was read.
type reserveMemo struct {
	rows map[string]*parley.Conversation // by service SID and SID or unique name
	// participants is the participant SID of an identity in a conversation
	// (by conversation SID and identity), nil for an identity known not to
	// take part.
	participants map[string]*string
}

func newReserveMemo() *reserveMemo {
	return &reserveMemo{rows: map[string]*parley.Conversation{}, participants: map[string]*string{}}
}

func memoKey(serviceSID, id string) string { return serviceSID + "/" + id }

// get is a copy of the row read for serviceSID and id, or nil.
func (m *reserveMemo) get(serviceSID, id string) *parley.Conversation {
	if m == nil {
		return nil
	}
	if c, ok := m.rows[memoKey(serviceSID, id)]; ok {
		cp := *c
		return &cp
	}
	return nil
}

func (m *reserveMemo) put(serviceSID, id string, c *parley.Conversation) {
	if m != nil {
		cp := *c
		m.rows[memoKey(serviceSID, id)] = &cp
	}
}

// participant is what the memo knows of identity's participant in the
// conversation: its SID (nil for none) and whether it knows.
func (m *reserveMemo) participant(conversationSID, identity string) (*string, bool) {
	if m == nil {
		return nil, false
	}
	p, ok := m.participants[memoKey(conversationSID, identity)]
	return p, ok
}

func (m *reserveMemo) putParticipant(conversationSID, identity string, sid *string) {
	if m != nil {
		m.participants[memoKey(conversationSID, identity)] = sid
	}
}

func (m *reserveMemo) forget() {
	if m != nil {
		clear(m.rows)
		clear(m.participants)
	}
}

// saw forgets what was read unless q cannot change a conversation or a
// participant.
func (m *reserveMemo) saw(q string) {
	if m == nil || len(m.rows) == 0 && len(m.participants) == 0 {
		return
	}
	head := strings.TrimLeft(q, " \t\n")
	if hasPrefixFold(head, "SELECT ") {
		return
	}
	if hasPrefixFold(head, "INSERT INTO ") {
		table := head[len("INSERT INTO "):]
		if !hasPrefixFold(table, "conversations ") && !hasPrefixFold(table, "participants ") {
			return
		}
	}
	m.forget()
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}
