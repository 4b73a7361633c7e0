package store

import (
	"database/sql"

	parley "github.com/parley-dev/parley"
)

const scopedWebhookColumns = `seq, sid, account_sid, service_sid, conversation_sid, target, url, method, filters,
	triggers, flow_sid, replay_after, retry_count, date_created, date_updated`

func scanScopedWebhook(s scanner) (*parley.ScopedWebhook, error) {
	var w parley.ScopedWebhook
	var url, method, flow sql.NullString
	var replay sql.NullInt64
	var filters, triggers string
	var created, updated int64
	err := s.Scan(&w.Seq, &w.SID, &w.AccountSID, &w.ServiceSID, &w.ConversationSID, &w.Target, &url, &method,
		&filters, &triggers, &flow, &replay, &w.RetryCount, &created, &updated)
	if err != nil {
		return nil, err
	}
	w.URL, w.Method, w.FlowSID, w.ReplayAfter = strPtr(url), strPtr(method), strPtr(flow), intPtr(replay)
	w.DateCreated, w.DateUpdated = fromMillis(created), fromMillis(updated)
	if w.Filters, err = decodeStrings(filters); err != nil {
		return nil, err
	}
	w.Triggers, err = decodeStrings(triggers)
	return &w, err
}

func (t *tx) CreateScopedWebhook(w *parley.ScopedWebhook) error {
	err := t.queryRow(`INSERT INTO scoped_webhooks (sid, account_sid, service_sid, conversation_sid, target, url,
		method, filters, triggers, flow_sid, replay_after, retry_count, date_created, date_updated)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING seq`,
		w.SID, w.AccountSID, w.ServiceSID, w.ConversationSID, w.Target, w.URL, w.Method, encodeStrings(w.Filters),
		encodeStrings(w.Triggers), w.FlowSID, w.ReplayAfter, w.RetryCount, millis(w.DateCreated), millis(w.DateUpdated)).Scan(&w.Seq)
	return parentGone(err, "Conversation", w.ConversationSID)
}

func (t *tx) ScopedWebhook(conversationSID, sid string) (*parley.ScopedWebhook, error) {
	w, err := scanScopedWebhook(t.queryRow(`SELECT `+scopedWebhookColumns+` FROM scoped_webhooks
		WHERE conversation_sid = $1 AND sid = $2`, conversationSID, sid))
	if err != nil {
		return nil, notFound(err, "Webhook", sid)
	}
	return w, nil
}

func (t *tx) ListScopedWebhooks(conversationSID string, p parley.PageRequest) (parley.Page[*parley.ScopedWebhook], error) {
	var q query
	q.add("conversation_sid = ?", conversationSID)
	tail, reversed := q.page("seq", p)
	rows, err := t.query(`SELECT `+scopedWebhookColumns+` FROM scoped_webhooks`+tail, q.args...)
	return collect(rows, err, p.Size, reversed, scanScopedWebhook)
}

func (t *tx) CountScopedWebhooks(conversationSID string) (int, error) {
	// The no-op UPDATE takes the conversation's row lock (PostgreSQL) so
	// two concurrent creators cannot both see four webhooks; SQLite has
	// one writer anyway.
	if err := t.execOne("Conversation", conversationSID,
		`UPDATE conversations SET date_updated = date_updated WHERE sid = $1`, conversationSID); err != nil {
		return 0, err
	}
	var n int
	err := t.queryRow(`SELECT COUNT(*) FROM scoped_webhooks WHERE conversation_sid = $1`, conversationSID).Scan(&n)
	return n, err
}

func (t *tx) UpdateScopedWebhook(w *parley.ScopedWebhook) error {
	return t.execOne("Webhook", w.SID, `UPDATE scoped_webhooks SET url = $2, method = $3, filters = $4, triggers = $5,
		flow_sid = $6, retry_count = $7, date_updated = $8 WHERE sid = $1`,
		w.SID, w.URL, w.Method, encodeStrings(w.Filters), encodeStrings(w.Triggers), w.FlowSID, w.RetryCount,
		millis(w.DateUpdated))
}

func (t *tx) DeleteScopedWebhook(conversationSID, sid string) error {
	return t.execOne("Webhook", sid, `DELETE FROM scoped_webhooks WHERE conversation_sid = $1 AND sid = $2`, conversationSID, sid)
}
