package store

import (
	"database/sql"
	"encoding/json"
	"strings"

	parley "github.com/parley-dev/parley"
)

const mediaColumns = `sid, account_sid, service_sid, conversation_sid, message_sid, author, content_type, filename,
	category, size, date_created, date_updated`

func scanMedia(s scanner) (*parley.Media, error) {
	var m parley.Media
	var conversation, message, filename sql.NullString
	var created, updated int64
	err := s.Scan(&m.SID, &m.AccountSID, &m.ServiceSID, &conversation, &message, &m.Author, &m.ContentType, &filename,
		&m.Category, &m.Size, &created, &updated)
	m.ConversationSID, m.MessageSID, m.Filename = strPtr(conversation), strPtr(message), strPtr(filename)
	m.DateCreated, m.DateUpdated = fromMillis(created), fromMillis(updated)
	return &m, err
}

func (t *tx) CreateMedia(m *parley.Media) error {
	_, err := t.exec(`INSERT INTO media (`+mediaColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
		m.SID, m.AccountSID, m.ServiceSID, m.ConversationSID, m.MessageSID, m.Author, m.ContentType, m.Filename,
		m.Category, m.Size, millis(m.DateCreated), millis(m.DateUpdated))
	return parentGone(err, "Service", m.ServiceSID)
}

func (t *tx) Media(serviceSID, sid string) (*parley.Media, error) {
	m, err := scanMedia(t.queryRow(`SELECT `+mediaColumns+` FROM media WHERE service_sid = $1 AND sid = $2`, serviceSID, sid))
	if err != nil {
		return nil, notFound(err, "Media", sid)
	}
	return m, nil
}

func (t *tx) AttachMedia(serviceSID, sid, conversationSID, messageSID string) (*parley.Media, error) {
	// One statement claims the media, so two messages racing for the same
	// upload cannot both carry it.
	m, err := scanMedia(t.queryRow(`UPDATE media SET conversation_sid = $3, message_sid = $4, date_updated = $5
		WHERE service_sid = $1 AND sid = $2 AND message_sid IS NULL RETURNING `+mediaColumns,
		serviceSID, sid, conversationSID, messageSID, millis(t.Now())))
	if err == sql.ErrNoRows {
		return nil, parley.ParamError(parley.CodeMediaNotFound, "MediaSid", parley.ProblemNone, "Media %s not found", sid)
	}
	return m, err
}

func (t *tx) MediaSIDs(scopeSID string) ([]string, error) {
	column := "message_sid"
	switch {
	case strings.HasPrefix(scopeSID, parley.PrefixAccount):
		column = "account_sid"
	case strings.HasPrefix(scopeSID, parley.PrefixService):
		column = "service_sid"
	case strings.HasPrefix(scopeSID, parley.PrefixConversation):
		column = "conversation_sid"
	}
	rows, err := t.query(`SELECT sid FROM media WHERE `+column+` = $1`, scopeSID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var sid string
		if err := rows.Scan(&sid); err != nil {
			return nil, err
		}
		out = append(out, sid)
	}
	return out, rows.Err()
}

// messageMedia is the stored form of a message's media list: NULL for none.
func messageMedia(media []parley.MessageMedia) (*string, error) {
	if len(media) == 0 {
		return nil, nil
	}
	raw, err := json.Marshal(media)
	s := string(raw)
	return &s, err
}

func scanMessageMedia(raw sql.NullString, m *parley.Message) error {
	if !raw.Valid {
		return nil
	}
	return json.Unmarshal([]byte(raw.String), &m.Media)
}
