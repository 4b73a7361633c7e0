package store

import (
	"database/sql"

	parley "github.com/parley-dev/parley"
)

const conversationColumns = `seq, sid, account_sid, service_sid, messaging_service_sid, friendly_name, unique_name,
	attributes, state, timer_inactive, timer_closed, date_inactive, date_closed, last_message_index, date_created, date_updated,
	type, created_by, members_count, messages_count, email_address, email_name`

func scanConversation(s scanner) (*parley.Conversation, error) {
	var c parley.Conversation
	var msg, friendly, unique, inactive, closed, createdBy, email, emailName sql.NullString
	var dateInactive, dateClosed, last sql.NullInt64
	var created, updated int64
	err := s.Scan(&c.Seq, &c.SID, &c.AccountSID, &c.ServiceSID, &msg, &friendly, &unique, &c.Attributes, &c.State,
		&inactive, &closed, &dateInactive, &dateClosed, &last, &created, &updated,
		&c.Type, &createdBy, &c.MembersCount, &c.MessagesCount, &email, &emailName)
	c.CreatedBy, c.EmailAddress, c.EmailName = strPtr(createdBy), strPtr(email), strPtr(emailName)
	c.MessagingServiceSID, c.FriendlyName, c.UniqueName = strPtr(msg), strPtr(friendly), strPtr(unique)
	c.TimerInactive, c.TimerClosed = strPtr(inactive), strPtr(closed)
	c.DateInactive, c.DateClosed, c.LastMessageIndex = timePtr(dateInactive), timePtr(dateClosed), intPtr(last)
	c.DateCreated, c.DateUpdated = fromMillis(created), fromMillis(updated)
	return &c, err
}

func (t *tx) CreateConversation(c *parley.Conversation) error {
	err := t.queryRow(`INSERT INTO conversations (sid, account_sid, service_sid, messaging_service_sid, friendly_name,
		unique_name, attributes, state, timer_inactive, timer_closed, date_inactive, date_closed, date_created, date_updated, type, created_by,
		email_address, email_name)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18) RETURNING seq`,
		c.SID, c.AccountSID, c.ServiceSID, c.MessagingServiceSID, c.FriendlyName, c.UniqueName, c.Attributes, c.State,
		c.TimerInactive, c.TimerClosed, nullMillis(c.DateInactive), nullMillis(c.DateClosed),
		millis(c.DateCreated), millis(c.DateUpdated), c.Type, c.CreatedBy, c.EmailAddress, c.EmailName).Scan(&c.Seq)
	return parentGone(uniqueNameTaken(err, c.UniqueName), "Service", c.ServiceSID)
}

func uniqueNameTaken(err error, name *string) error {
	if err != nil && isUniqueViolation(err) && name != nil {
		return parley.Errorf(parley.CodeConversationExists, "Conversation with provided unique name already exists")
	}
	return err
}

func (t *tx) Conversation(serviceSID, id string) (*parley.Conversation, error) {
	col := "unique_name"
	if parley.IsSID(id, parley.PrefixConversation) {
		col = "sid"
	}
	c, err := scanConversation(t.queryRow(`SELECT `+conversationColumns+` FROM conversations
		WHERE service_sid = $1 AND `+col+` = $2`, serviceSID, id))
	if err != nil {
		return nil, notFound(err, "Conversation", id)
	}
	return c, nil
}

func (t *tx) ListConversations(serviceSID string, f parley.ConversationFilter, p parley.PageRequest) (parley.Page[*parley.Conversation], error) {
	var q query
	q.add("service_sid = ?", serviceSID)
	if f.State != "" {
		q.add("state = ?", f.State)
	}
	if f.Type != "" {
		q.add("type = ?", f.Type)
	}
	if f.StartDate != nil {
		q.add("date_created >= ?", millis(*f.StartDate))
	}
	if f.EndDate != nil {
		q.add("date_created <= ?", millis(*f.EndDate))
	}
	tail, reversed := q.page("seq", p)
	rows, err := t.query(`SELECT `+conversationColumns+` FROM conversations`+tail, q.args...)
	return collect(rows, err, p.Size, reversed, scanConversation)
}

func (t *tx) UpdateConversation(c *parley.Conversation) error {
	err := t.execOne("Conversation", c.SID, `UPDATE conversations SET messaging_service_sid = $2, friendly_name = $3,
		unique_name = $4, attributes = $5, state = $6, timer_inactive = $7, timer_closed = $8, date_inactive = $9,
		date_closed = $10, date_created = $11, date_updated = $12, type = $13, created_by = $14,
		email_address = $15, email_name = $16 WHERE sid = $1`,
		c.SID, c.MessagingServiceSID, c.FriendlyName, c.UniqueName, c.Attributes, c.State, c.TimerInactive,
		c.TimerClosed, nullMillis(c.DateInactive), nullMillis(c.DateClosed), millis(c.DateCreated), millis(c.DateUpdated),
		c.Type, c.CreatedBy, c.EmailAddress, c.EmailName)
	if err == nil && c.State == parley.StateClosed {
		// Closed is final: the conversation's non-chat participants free
		// their (address, proxy address) pairs for other conversations.
		_, err = t.exec(`UPDATE participants SET binding_open = NULL WHERE conversation_sid = $1 AND binding_open = 1`, c.SID)
	}
	return uniqueNameTaken(err, c.UniqueName)
}

func (t *tx) DeleteConversation(serviceSID, sid string) error {
	return t.execOne("Conversation", sid, `DELETE FROM conversations WHERE service_sid = $1 AND sid = $2`, serviceSID, sid)
}

func (t *tx) NextMessageIndex(conversationSID string) (int64, error) {
	// The UPDATE takes the row lock (PostgreSQL) or runs under the single
	// writer (SQLite), so concurrent posts get consecutive indexes. It also
	// counts the message about to be written with the index, saving
	// CreateMessage a second round trip to the same row.
	var idx int64
	err := t.queryRow(`UPDATE conversations SET last_message_index = COALESCE(last_message_index, -1) + 1,
		messages_count = messages_count + 1 WHERE sid = $1 RETURNING last_message_index`, conversationSID).Scan(&idx)
	if err != nil {
		return 0, notFound(err, "Conversation", conversationSID)
	}
	t.counted = append(t.counted, reservedIndex{conversationSID: conversationSID, idx: idx})
	return idx, nil
}

func (t *tx) ReserveMessageIndex(serviceSID, id string) (*parley.Conversation, int64, error) {
	c, idx, _, err := t.reserveMessageIndex(serviceSID, id, nil)
	return c, idx, err
}

// reservedIndex is a message index NextMessageIndex or ReserveMessageIndex
// reserved, and counted, in this transaction.
type reservedIndex struct {
	conversationSID string
	idx             int64
	// author is the identity whose participant was looked up with the
	// reservation (ReserveMessageIndexBy), participant what was found.
	author      *string
	participant *string
}

// uncount takes back the count NextMessageIndex made for m's index, and
// reports whether there was one.
func (t *tx) uncount(m *parley.Message) bool {
	for i, r := range t.counted {
		if r.conversationSID == m.ConversationSID && r.idx == m.Index {
			t.counted = append(t.counted[:i], t.counted[i+1:]...)
			return true
		}
	}
	return false
}

// countConversation moves one of a conversation's counters (members_count or
// messages_count) by delta, in the transaction that added or removed the row.
func (t *tx) countConversation(conversationSID, counter string, delta int) error {
	_, err := t.exec(`UPDATE conversations SET `+counter+` = `+counter+` + $2 WHERE sid = $1`, conversationSID, delta)
	return err
}

func (t *tx) LockConversation(sid string) (*parley.Conversation, error) {
	// The row lock serialises read-modify-writes of the row (a timer and a
	// REST update) instead of letting one overwrite the other.
	c, err := scanConversation(t.queryRow(`SELECT `+conversationColumns+` FROM conversations WHERE sid = $1`+t.rowLock(" FOR UPDATE"), sid))
	if err != nil {
		return nil, notFound(err, "Conversation", sid)
	}
	return c, nil
}
