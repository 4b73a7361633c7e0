package store

import (
	"database/sql"
	"strings"

	parley "github.com/parley-dev/parley"
)

const receiptColumns = `seq, sid, account_sid, service_sid, conversation_sid, message_sid, participant_sid,
	channel_message_sid, status, error_code, date_created, date_updated`

func scanReceipt(s scanner) (*parley.DeliveryReceipt, error) {
	var r parley.DeliveryReceipt
	var channel sql.NullString
	var created, updated int64
	err := s.Scan(&r.Seq, &r.SID, &r.AccountSID, &r.ServiceSID, &r.ConversationSID, &r.MessageSID, &r.ParticipantSID,
		&channel, &r.Status, &r.ErrorCode, &created, &updated)
	r.ChannelMessageSID = strPtr(channel)
	r.DateCreated, r.DateUpdated = fromMillis(created), fromMillis(updated)
	return &r, err
}

func (t *tx) UpsertDeliveryReceipt(r *parley.DeliveryReceipt) error {
	// One receipt per (message, participant): a later status overwrites the
	// earlier one but keeps the receipt's SID and creation date, and its
	// channel message SID when the later status carries none. r is filled
	// from the stored row, so it shows what was kept.
	var created int64
	var channel sql.NullString
	err := t.queryRow(`INSERT INTO delivery_receipts (sid, account_sid, service_sid, conversation_sid, message_sid,
		participant_sid, channel_message_sid, status, error_code, date_created, date_updated)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
		ON CONFLICT (message_sid, participant_sid) DO UPDATE SET
			channel_message_sid = COALESCE(excluded.channel_message_sid, delivery_receipts.channel_message_sid),
			status = excluded.status, error_code = excluded.error_code, date_updated = excluded.date_updated
		RETURNING seq, sid, date_created, channel_message_sid`,
		r.SID, r.AccountSID, r.ServiceSID, r.ConversationSID, r.MessageSID, r.ParticipantSID, r.ChannelMessageSID,
		r.Status, r.ErrorCode, millis(r.DateCreated), millis(r.DateUpdated)).Scan(&r.Seq, &r.SID, &created, &channel)
	if err != nil {
		return parentGone(err, "Message", r.MessageSID)
	}
	r.DateCreated, r.ChannelMessageSID = fromMillis(created), strPtr(channel)
	return nil
}

func (t *tx) DeliveryReceipt(messageSID, sid string) (*parley.DeliveryReceipt, error) {
	r, err := scanReceipt(t.queryRow(`SELECT `+receiptColumns+` FROM delivery_receipts WHERE message_sid = $1 AND sid = $2`,
		messageSID, sid))
	if err != nil {
		return nil, notFound(err, "DeliveryReceipt", sid)
	}
	return r, nil
}

func (t *tx) ListDeliveryReceipts(messageSID string, p parley.PageRequest) (parley.Page[*parley.DeliveryReceipt], error) {
	var q query
	q.add("message_sid = ?", messageSID)
	tail, reversed := q.page("seq", p)
	rows, err := t.query(`SELECT `+receiptColumns+` FROM delivery_receipts`+tail, q.args...)
	return collect(rows, err, p.Size, reversed, scanReceipt)
}

func (t *tx) DeliveryStatuses(messageSIDs []string) (map[string][]string, error) {
	out := map[string][]string{}
	if len(messageSIDs) == 0 {
		return out, nil
	}
	var q query
	q.addIn("message_sid", messageSIDs)
	rows, err := t.query(`SELECT message_sid, status FROM delivery_receipts WHERE `+strings.Join(q.where, " AND ")+` ORDER BY seq`, q.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var sid, status string
		if err := rows.Scan(&sid, &status); err != nil {
			return nil, err
		}
		out[sid] = append(out[sid], status)
	}
	return out, rows.Err()
}
