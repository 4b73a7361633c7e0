package store

import (
	parley "github.com/parley-dev/parley"
)

const serviceColumns = `seq, sid, account_sid, friendly_name, default_conversation_creator_role_sid,
	default_conversation_role_sid, default_chat_service_role_sid, reachability_enabled, date_created, date_updated, chat_settings`

func scanService(s scanner) (*parley.Service, error) {
	var v parley.Service
	var reach int
	var created, updated int64
	var chat string
	err := s.Scan(&v.Seq, &v.SID, &v.AccountSID, &v.FriendlyName, &v.DefaultConversationCreatorRoleSID,
		&v.DefaultConversationRoleSID, &v.DefaultChatServiceRoleSID, &reach, &created, &updated, &chat)
	if err == nil {
		v.Chat, err = decodeChatSettings(chat)
	}
	v.ReachabilityEnabled = reach != 0
	v.DateCreated, v.DateUpdated = fromMillis(created), fromMillis(updated)
	return &v, err
}

func (t *tx) CreateService(s *parley.Service) error {
	return t.queryRow(`INSERT INTO services (sid, account_sid, friendly_name, default_conversation_creator_role_sid,
		default_conversation_role_sid, default_chat_service_role_sid, reachability_enabled, date_created, date_updated,
		chat_settings) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING seq`,
		s.SID, s.AccountSID, s.FriendlyName, s.DefaultConversationCreatorRoleSID, s.DefaultConversationRoleSID,
		s.DefaultChatServiceRoleSID, boolInt(s.ReachabilityEnabled), millis(s.DateCreated), millis(s.DateUpdated),
		encodeChatSettings(s.Chat)).Scan(&s.Seq)
}

func (t *tx) Service(accountSID, sid string) (*parley.Service, error) {
	s, err := scanService(t.queryRow(`SELECT `+serviceColumns+` FROM services WHERE account_sid = $1 AND sid = $2`, accountSID, sid))
	if err != nil {
		return nil, notFound(err, "Service", sid)
	}
	return s, nil
}

func (t *tx) ListServices(accountSID string, p parley.PageRequest) (parley.Page[*parley.Service], error) {
	var q query
	q.add("account_sid = ?", accountSID)
	tail, reversed := q.page("seq", p)
	rows, err := t.query(`SELECT `+serviceColumns+` FROM services`+tail, q.args...)
	return collect(rows, err, p.Size, reversed, scanService)
}

func (t *tx) DeleteService(accountSID, sid string) error {
	// Foreign keys cascade to roles, users, conversations and what they hold.
	return t.execOne("Service", sid, `DELETE FROM services WHERE account_sid = $1 AND sid = $2`, accountSID, sid)
}
