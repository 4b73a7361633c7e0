package store

import (
	"context"
	"database/sql"
	"slices"
	"strconv"
	"strings"
	"sync"

	parley "github.com/parley-dev/parley"
)

// lockAhead reads, before a first pass runs its writes, the conversations
// whose next message index they announced they will reserve
// (parley.WillReserve), and the participants of their authors in them: one
// statement, which on PostgreSQL also locks the rows, in SID order. The
// memo then answers each of those reservations without a round trip (see
// reserveMemo), where each would otherwise wait for its own SELECT: over many
// conversations, a batch of 64 messages waited 64 times on PostgreSQL's one
// writer connection. Fewer than two announced conversations gain nothing
// and are left to their reservations; so are unique names, which the memo
// keys apart from SIDs.
func (g *groupCommitter) lockAhead(b batchTx, batch []*pendingWrite) error {
	var hints []parley.Reservation
	var sids, authors []string
	for _, w := range batch {
		r, ok := parley.ReservationOf(w.ctx)
		if !ok || !parley.IsSID(r.Conversation, parley.PrefixConversation) {
			continue
		}
		hints = append(hints, r)
		sids = append(sids, r.Conversation)
		authors = append(authors, r.Author)
	}
	if len(hints) < 2 {
		return nil
	}
	t := b.tx(context.Background())
	t.memo = g.memo
	defer func() { g.missed = append(g.missed, t.missed...) }()
	return t.readAhead(hints, distinct(sids), distinct(authors))
}

// readAhead puts into the memo the conversations sids (locked on
// PostgreSQL) and what is known of authors' participants in them.
func (t *tx) readAhead(hints []parley.Reservation, sids, authors []string) error {
	nSIDs, nAuthors := padded(len(sids)), padded(len(authors))
	args := make([]any, 0, nSIDs+nAuthors)
	for i := range nSIDs {
		args = append(args, sids[min(i, len(sids)-1)])
	}
	for i := range nAuthors {
		args = append(args, authors[min(i, len(authors)-1)])
	}
	rows, err := t.query(readAheadSQL(nSIDs, nAuthors, t.d.rowLocks), args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	found := map[string]*parley.Conversation{}
	for rows.Next() {
		var identity, participant sql.NullString
		c, err := scanConversation(scanAlso{rows, []any{&identity, &participant}})
		if err != nil {
			return err
		}
		if found[c.SID] == nil {
			found[c.SID] = c
		}
		if identity.Valid {
			t.memo.putParticipant(c.SID, identity.String, strPtr(participant))
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	for _, h := range hints {
		c := found[h.Conversation]
		if c == nil || c.ServiceSID != h.ServiceSID {
			continue // the reservation finds out on its own
		}
		t.memo.put(h.ServiceSID, h.Conversation, c)
		if _, known := t.memo.participant(c.SID, h.Author); !known {
			t.memo.putParticipant(c.SID, h.Author, nil)
		}
	}
	return nil
}

func distinct(s []string) []string {
	slices.Sort(s)
	return slices.Compact(s)
}

// padded is n rounded up to a power of two: the look-up's lists are padded
// (with repeats) to it, so a few statement texts serve every batch.
func padded(n int) int {
	p := 1
	for p < n {
		p *= 2
	}
	return p
}

type readAheadShape struct {
	sids, authors int
	lock          bool
}

var (
	readAheadMu    sync.Mutex
	readAheadBuilt = map[readAheadShape]string{}
	// qualifiedConversationColumns is conversationColumns of the table
	// named c.
	qualifiedConversationColumns = func() string {
		cols := strings.Split(conversationColumns, ",")
		for i, col := range cols {
			cols[i] = "c." + strings.TrimSpace(col)
		}
		return strings.Join(cols, ", ")
	}()
)

// readAheadSQL selects the conversations of the first sids arguments,
// each with a row per participant among the next authors arguments (or
// one row of NULLs), in SID order.
func readAheadSQL(sids, authors int, lock bool) string {
	readAheadMu.Lock()
	defer readAheadMu.Unlock()
	shape := readAheadShape{sids, authors, lock}
	if q, ok := readAheadBuilt[shape]; ok {
		return q
	}
	list := func(from, n int) string {
		var b strings.Builder
		for i := range n {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString("$" + strconv.Itoa(from+i))
		}
		return b.String()
	}
	q := `SELECT ` + qualifiedConversationColumns + `, p.identity, p.sid FROM conversations c
		LEFT JOIN participants p ON p.conversation_sid = c.sid AND p.identity IN (` + list(sids+1, authors) + `)
		WHERE c.sid IN (` + list(1, sids) + `) ORDER BY c.sid`
	if lock {
		q += ` FOR UPDATE OF c`
	}
	readAheadBuilt[shape] = q
	return q
}
