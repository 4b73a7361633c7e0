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
// Inside the batch, any statement that may change a conversation (anything
// but a SELECT or an INSERT into another table), and any rollback to a
// savepoint, forgets what was read.
type reserveMemo struct {
	rows map[string]*parley.Conversation // by service SID and SID or unique name
}

func newReserveMemo() *reserveMemo {
	return &reserveMemo{rows: map[string]*parley.Conversation{}}
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

func (m *reserveMemo) forget() {
	if m != nil && len(m.rows) > 0 {
		clear(m.rows)
	}
}

// saw forgets what was read unless q cannot change a conversation row.
func (m *reserveMemo) saw(q string) {
	if m == nil || len(m.rows) == 0 {
		return
	}
	head := strings.TrimLeft(q, " \t\n")
	if hasPrefixFold(head, "SELECT ") {
		return
	}
	if hasPrefixFold(head, "INSERT INTO ") && !hasPrefixFold(head[len("INSERT INTO "):], "conversations ") {
		return
	}
	m.forget()
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}
