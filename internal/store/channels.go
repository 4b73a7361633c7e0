package store

import (
	"database/sql"
	"encoding/json"
	"strconv"
	"time"

	parley "github.com/parley-dev/parley"
)

func (t *tx) ChannelParticipants(conversationSID string) ([]*parley.Participant, error) {
	rows, err := t.query(`SELECT `+participantColumns+` FROM participants
		WHERE conversation_sid = $1 AND binding_address IS NOT NULL ORDER BY seq`, conversationSID)
	page, err := collect(rows, err, parley.MaxChannelParticipants*2, false, scanParticipant)
	return page.Items, err
}

func (t *tx) BoundParticipant(accountSID, address, proxyAddress string) (*parley.Participant, error) {
	p, err := scanParticipant(t.queryRow(`SELECT `+participantColumns+` FROM participants
		WHERE account_sid = $1 AND binding_address = $2 AND binding_proxy_address = $3 AND binding_open = 1`,
		accountSID, address, proxyAddress))
	if err != nil {
		return nil, notFound(err, "Participant", address)
	}
	return p, nil
}

func (t *tx) GroupMembers(conversationSID string) ([]*parley.Participant, error) {
	rows, err := t.query(`SELECT `+participantColumns+` FROM participants
		WHERE conversation_sid = $1 AND (binding_projected IS NOT NULL
			OR (binding_address IS NOT NULL AND binding_proxy_address IS NULL)) ORDER BY seq`, conversationSID)
	page, err := collect(rows, err, parley.MaxChannelParticipants*2, false, scanParticipant)
	return page.Items, err
}

func (t *tx) GroupConversations(accountSID, address string) ([]string, error) {
	rows, err := t.query(`SELECT DISTINCT p.conversation_sid FROM participants p
		JOIN conversations c ON c.sid = p.conversation_sid
		WHERE p.account_sid = $1 AND c.state <> $3 AND ((p.binding_address = $2 AND p.binding_proxy_address IS NULL)
			OR p.binding_projected = $2)
		ORDER BY p.conversation_sid`, accountSID, address, parley.StateClosed)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var sids []string
	for rows.Next() {
		var sid string
		if err := rows.Scan(&sid); err != nil {
			return nil, err
		}
		sids = append(sids, sid)
	}
	return sids, rows.Err()
}

func (t *tx) DeliveryReceiptOf(messageSID, participantSID string) (*parley.DeliveryReceipt, error) {
	r, err := scanReceipt(t.queryRow(`SELECT `+receiptColumns+` FROM delivery_receipts WHERE message_sid = $1 AND participant_sid = $2`,
		messageSID, participantSID))
	if err != nil {
		return nil, notFound(err, "DeliveryReceipt", participantSID)
	}
	return r, nil
}

func (t *tx) RoutedInbound(accountSID, channelMessageSID string) (*parley.InboundResult, error) {
	var conversation, message string
	err := t.queryRow(`SELECT conversation_sid, message_sid FROM channel_inbound WHERE account_sid = $1 AND channel_message_sid = $2`,
		accountSID, channelMessageSID).Scan(&conversation, &message)
	if err != nil {
		return nil, notFound(err, "InboundMessage", channelMessageSID)
	}
	return &parley.InboundResult{ConversationSID: &conversation, MessageSID: &message}, nil
}

func (t *tx) RecordInbound(accountSID, channelMessageSID, conversationSID, messageSID string, at time.Time) error {
	_, err := t.exec(`INSERT INTO channel_inbound (account_sid, channel_message_sid, conversation_sid, message_sid, date_created)
		VALUES ($1, $2, $3, $4, $5)`, accountSID, channelMessageSID, conversationSID, messageSID, millis(at))
	return parentGone(err, "Account", accountSID)
}

const simMessageColumns = `seq, sid, account_sid, direction, from_address, to_address, body, media_urls, status,
	error_code, delivery_key, conversation_sid, reason, date_created, recipients`

func scanSimMessage(s scanner) (*parley.SimulatedMessage, error) {
	var m parley.SimulatedMessage
	var media string
	var key, conversation, reason, recipients sql.NullString
	var created int64
	err := s.Scan(&m.Seq, &m.SID, &m.AccountSID, &m.Direction, &m.From, &m.To, &m.Body, &media, &m.Status,
		&m.ErrorCode, &key, &conversation, &reason, &created, &recipients)
	if err != nil {
		return nil, err
	}
	m.Key, m.ConversationSID, m.Reason = strPtr(key), strPtr(conversation), strPtr(reason)
	m.DateCreated = fromMillis(created)
	if recipients.Valid {
		if err := json.Unmarshal([]byte(recipients.String), &m.Recipients); err != nil {
			return nil, err
		}
	}
	return &m, json.Unmarshal([]byte(media), &m.MediaURLs)
}

func (t *tx) RecordSimulatedMessage(m *parley.SimulatedMessage) (bool, error) {
	media, err := json.Marshal(append([]string{}, m.MediaURLs...))
	if err != nil {
		return false, err
	}
	// ON CONFLICT DO NOTHING on the delivery key: a retried delivery finds
	// the message its first run recorded.
	var recipients *string
	if len(m.Recipients) > 0 {
		b, err := json.Marshal(m.Recipients)
		if err != nil {
			return false, err
		}
		recipients = new(string)
		*recipients = string(b)
	}
	res, err := t.exec(`INSERT INTO sim_messages (sid, account_sid, direction, from_address, to_address, body, media_urls,
		status, error_code, delivery_key, conversation_sid, reason, date_created, recipients)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) ON CONFLICT (delivery_key) DO NOTHING`,
		m.SID, m.AccountSID, m.Direction, m.From, m.To, m.Body, string(media), m.Status, m.ErrorCode, m.Key,
		m.ConversationSID, m.Reason, millis(m.DateCreated), recipients)
	if err != nil {
		return false, parentGone(err, "Account", m.AccountSID)
	}
	if n, err := res.RowsAffected(); err != nil || n == 1 || m.Key == nil {
		return n == 1, err
	}
	stored, err := scanSimMessage(t.queryRow(`SELECT `+simMessageColumns+` FROM sim_messages WHERE delivery_key = $1`, *m.Key))
	if err != nil {
		return false, err
	}
	*m = *stored
	return false, nil
}

func (t *tx) ListSimulatedMessages(accountSID string, f parley.SimulatorFilter, p parley.PageRequest) (parley.Page[*parley.SimulatedMessage], error) {
	var q query
	q.add("account_sid = ?", accountSID)
	if f.Address != "" {
		q.args = append(q.args, f.Address)
		n := "$" + strconv.Itoa(len(q.args))
		q.where = append(q.where, "(from_address = "+n+" OR to_address = "+n+")")
	}
	if f.From != "" {
		q.add("from_address = ?", f.From)
	}
	if f.To != "" {
		q.add("to_address = ?", f.To)
	}
	if f.Direction != "" {
		q.add("direction = ?", f.Direction)
	}
	tail, reversed := q.page("seq", p)
	rows, err := t.query(`SELECT `+simMessageColumns+` FROM sim_messages`+tail, q.args...)
	return collect(rows, err, p.Size, reversed, scanSimMessage)
}

func (t *tx) SimulatedPhone(accountSID, address string) (*parley.SimulatedPhone, error) {
	p := parley.SimulatedPhone{AccountSID: accountSID, Address: address}
	var updated int64
	err := t.queryRow(`SELECT outcome, error_code, date_updated FROM sim_phones WHERE account_sid = $1 AND address = $2`,
		accountSID, address).Scan(&p.Outcome, &p.ErrorCode, &updated)
	if err != nil {
		return nil, notFound(err, "Phone", address)
	}
	p.DateUpdated = fromMillis(updated)
	return &p, nil
}

func (t *tx) SetSimulatedPhone(p *parley.SimulatedPhone) error {
	_, err := t.exec(`INSERT INTO sim_phones (account_sid, address, outcome, error_code, date_updated) VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (account_sid, address) DO UPDATE SET outcome = excluded.outcome, error_code = excluded.error_code,
		date_updated = excluded.date_updated`, p.AccountSID, p.Address, p.Outcome, p.ErrorCode, millis(p.DateUpdated))
	return parentGone(err, "Account", p.AccountSID)
}
