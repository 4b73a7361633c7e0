package store

import (
	"database/sql"

	parley "github.com/parley-dev/parley"
)

const messageColumns = `sid, account_sid, service_sid, conversation_sid, idx, author, body, attributes,
	participant_sid, media_sid, content_sid, subject, date_created, date_updated, last_updated_by, was_edited, media, content_variables`

func scanMessage(s scanner) (*parley.Message, error) {
	var m parley.Message
	var body, participant, media, content, subject, lastUpdatedBy, mediaList, variables sql.NullString
	var created, updated int64
	var edited int
	err := s.Scan(&m.SID, &m.AccountSID, &m.ServiceSID, &m.ConversationSID, &m.Index, &m.Author, &body, &m.Attributes,
		&participant, &media, &content, &subject, &created, &updated, &lastUpdatedBy, &edited, &mediaList, &variables)
	if err == nil {
		err = scanMessageMedia(mediaList, &m)
	}
	m.LastUpdatedBy, m.WasEdited, m.ContentVariables = strPtr(lastUpdatedBy), edited != 0, strPtr(variables)
	m.Body, m.ParticipantSID, m.MediaSID, m.ContentSID, m.Subject = strPtr(body), strPtr(participant), strPtr(media), strPtr(content), strPtr(subject)
	m.DateCreated, m.DateUpdated = fromMillis(created), fromMillis(updated)
	return &m, err
}

func (t *tx) CreateMessage(m *parley.Message) error {
	// The author's participant is looked up inside the INSERT: on
	// PostgreSQL's single writer connection every statement is a round trip.
	// When the reservation found it already, the INSERT answers nothing and
	// is sent without waiting (see pipeline).
	const insert = `INSERT INTO messages (` + messageColumns + `)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8,
			COALESCE($9, (SELECT sid FROM participants WHERE conversation_sid = $4 AND identity = $6)),
			$10, $11, $12, $13, $14, $15, $16, $17, $18)`
	media, err := messageMedia(m.Media)
	if err != nil {
		return err
	}
	known, found := t.knownParticipant(m)
	if found && m.ParticipantSID == nil {
		m.ParticipantSID = known
	}
	args := []any{m.SID, m.AccountSID, m.ServiceSID, m.ConversationSID, m.Index, m.Author, m.Body, m.Attributes,
		m.ParticipantSID, m.MediaSID, m.ContentSID, m.Subject, millis(m.DateCreated), millis(m.DateUpdated),
		m.LastUpdatedBy, boolInt(m.WasEdited), media, m.ContentVariables}
	if found {
		_, err = t.exec(insert, args...)
	} else {
		var participant sql.NullString
		err = t.queryRow(insert+` RETURNING participant_sid`, args...).Scan(&participant)
		m.ParticipantSID = strPtr(participant)
	}
	if err != nil || t.uncount(m) {
		return err // a reserved index was counted when reserved
	}
	return t.countConversation(m.ConversationSID, "messages_count", 1)
}

func (t *tx) Message(conversationSID, sid string) (*parley.Message, error) {
	m, err := scanMessage(t.queryRow(`SELECT `+messageColumns+` FROM messages WHERE conversation_sid = $1 AND sid = $2`,
		conversationSID, sid))
	if err != nil {
		return nil, notFound(err, "Message", sid)
	}
	return m, nil
}

func (t *tx) ListMessages(conversationSID string, p parley.PageRequest) (parley.Page[*parley.Message], error) {
	var q query
	q.add("conversation_sid = ?", conversationSID)
	tail, reversed := q.page("idx", p)
	rows, err := t.query(`SELECT `+messageColumns+` FROM messages`+tail, q.args...)
	return collect(rows, err, p.Size, reversed, scanMessage)
}

func (t *tx) UpdateMessage(m *parley.Message) error {
	return t.execOne("Message", m.SID, `UPDATE messages SET author = $2, body = $3, attributes = $4, subject = $5,
		date_created = $6, date_updated = $7, last_updated_by = $8, was_edited = $9 WHERE sid = $1`,
		m.SID, m.Author, m.Body, m.Attributes, m.Subject, millis(m.DateCreated), millis(m.DateUpdated),
		m.LastUpdatedBy, boolInt(m.WasEdited))
}

func (t *tx) DeleteMessage(conversationSID, sid string) error {
	if err := t.execOne("Message", sid, `DELETE FROM messages WHERE conversation_sid = $1 AND sid = $2`, conversationSID, sid); err != nil {
		return err
	}
	return t.countConversation(conversationSID, "messages_count", -1)
}
