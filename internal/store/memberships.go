package store

import (
	"strconv"
	"strings"

	parley "github.com/parley-dev/parley"
)

// membershipColumns are a participant's columns followed by its notification
// level, which only the membership views read.
const membershipColumns = participantColumns + `, notification_level`

// extraScanner appends dests to every Scan, so a row scanner written for a
// table's own columns can also read columns selected after them.
type extraScanner struct {
	s     scanner
	extra []any
}

func (e extraScanner) Scan(dest ...any) error { return e.s.Scan(append(dest, e.extra...)...) }

func scanMembership(s scanner) (*parley.Membership, error) {
	m := &parley.Membership{}
	p, err := scanParticipant(extraScanner{s, []any{&m.NotificationLevel}})
	m.Participant = p
	return m, err
}

func (t *tx) ListMemberships(serviceSID string, f parley.MembershipFilter, p parley.PageRequest) (parley.Page[*parley.Membership], error) {
	var q query
	q.add("service_sid = ?", serviceSID)
	if f.Identity != nil {
		q.add("identity = ?", *f.Identity)
	}
	if f.Address != nil {
		q.add("binding_address = ?", *f.Address)
	}
	if f.PrivateOnly {
		q.add(`EXISTS (SELECT 1 FROM conversations c WHERE c.sid = participants.conversation_sid AND c.type = ?)`,
			parley.ChannelPrivate)
	}
	var tail string
	var reversed bool
	if f.ByConversation {
		tail, reversed = q.pageBy("conversation_sid", "seq", "participants", p)
	} else {
		tail, reversed = q.page("seq", p)
	}
	rows, err := t.query(`SELECT `+membershipColumns+` FROM participants`+tail, q.args...)
	page, err := collect(rows, err, p.Size, reversed, scanMembership)
	if err != nil || len(page.Items) == 0 {
		return page, err
	}
	return page, t.attachConversations(page.Items)
}

// attachConversations loads the conversations of a page of memberships in one
// query.
func (t *tx) attachConversations(ms []*parley.Membership) error {
	placeholders := make([]string, len(ms))
	args := make([]any, len(ms))
	for i, m := range ms {
		placeholders[i], args[i] = "$"+strconv.Itoa(i+1), m.Participant.ConversationSID
	}
	rows, err := t.query(`SELECT `+conversationColumns+` FROM conversations WHERE sid IN (`+
		strings.Join(placeholders, ", ")+`)`, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	bySID := map[string]*parley.Conversation{}
	for rows.Next() {
		c, err := scanConversation(rows)
		if err != nil {
			return err
		}
		bySID[c.SID] = c
	}
	if err := rows.Err(); err != nil {
		return err
	}
	for _, m := range ms {
		// The foreign key cascades deletes, so every participant has its conversation.
		m.Conversation = bySID[m.Participant.ConversationSID]
	}
	return nil
}

func (t *tx) Membership(c *parley.Conversation, identity string) (*parley.Membership, error) {
	m, err := scanMembership(t.queryRow(`SELECT `+membershipColumns+` FROM participants
		WHERE conversation_sid = $1 AND identity = $2`, c.SID, identity))
	if err != nil {
		return nil, notFound(err, "UserConversation", c.SID)
	}
	m.Conversation = c
	return m, nil
}

func (t *tx) UpdateMembership(m *parley.Membership) error {
	p := m.Participant
	return t.execOne("Participant", p.SID, `UPDATE participants SET notification_level = $2,
		last_read_message_index = $3, last_read_timestamp = $4, date_updated = $5 WHERE sid = $1`,
		p.SID, m.NotificationLevel, p.LastReadMessageIndex, nullMillis(p.LastReadTimestamp), millis(p.DateUpdated))
}

func (t *tx) CountMessagesAfter(conversationSID string, index int64, limit int) (int64, error) {
	// The LIMIT inside bounds the work to limit rows of the
	// (conversation_sid, idx) index, however long the conversation.
	var n int64
	err := t.queryRow(`SELECT COUNT(*) FROM (SELECT 1 FROM messages WHERE conversation_sid = $1 AND idx > $2
		ORDER BY idx LIMIT `+strconv.Itoa(limit)+`) AS unread`, conversationSID, index).Scan(&n)
	return n, err
}
