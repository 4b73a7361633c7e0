package store

import (
	"database/sql"

	parley "github.com/parley-dev/parley"
)

const messagingColumns = `seq, sid, account_sid, friendly_name, inbound_request_url, inbound_method, fallback_url,
	fallback_method, status_callback, usecase, date_created, date_updated`

func scanMessagingService(s scanner) (*parley.MessagingService, error) {
	var m parley.MessagingService
	var inbound, fallback, callback sql.NullString
	var created, updated int64
	err := s.Scan(&m.Seq, &m.SID, &m.AccountSID, &m.FriendlyName, &inbound, &m.InboundMethod, &fallback, &m.FallbackMethod,
		&callback, &m.Usecase, &created, &updated)
	if err != nil {
		return nil, err
	}
	m.InboundRequestURL, m.FallbackURL, m.StatusCallback = strPtr(inbound), strPtr(fallback), strPtr(callback)
	m.DateCreated, m.DateUpdated = fromMillis(created), fromMillis(updated)
	return &m, nil
}

func (t *tx) CreateMessagingService(m *parley.MessagingService) error {
	err := t.queryRow(`INSERT INTO messaging_services (sid, account_sid, friendly_name, inbound_request_url, inbound_method,
		fallback_url, fallback_method, status_callback, usecase, date_created, date_updated)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING seq`,
		m.SID, m.AccountSID, m.FriendlyName, m.InboundRequestURL, m.InboundMethod, m.FallbackURL, m.FallbackMethod,
		m.StatusCallback, m.Usecase, millis(m.DateCreated), millis(m.DateUpdated)).Scan(&m.Seq)
	return parentGone(err, "Account", m.AccountSID)
}

func (t *tx) MessagingService(accountSID, sid string) (*parley.MessagingService, error) {
	m, err := scanMessagingService(t.queryRow(`SELECT `+messagingColumns+` FROM messaging_services
		WHERE account_sid = $1 AND sid = $2`, accountSID, sid))
	if err != nil {
		return nil, notFound(err, "Service", sid)
	}
	return m, nil
}

func (t *tx) ListMessagingServices(accountSID string, p parley.PageRequest) (parley.Page[*parley.MessagingService], error) {
	var q query
	q.add("account_sid = ?", accountSID)
	tail, reversed := q.page("seq", p)
	rows, err := t.query(`SELECT `+messagingColumns+` FROM messaging_services`+tail, q.args...)
	return collect(rows, err, p.Size, reversed, scanMessagingService)
}

func (t *tx) UpdateMessagingService(m *parley.MessagingService) error {
	return t.execOne("Service", m.SID, `UPDATE messaging_services SET friendly_name = $3, inbound_request_url = $4,
		inbound_method = $5, fallback_url = $6, fallback_method = $7, status_callback = $8, usecase = $9, date_updated = $10
		WHERE account_sid = $1 AND sid = $2`, m.AccountSID, m.SID, m.FriendlyName, m.InboundRequestURL, m.InboundMethod,
		m.FallbackURL, m.FallbackMethod, m.StatusCallback, m.Usecase, millis(m.DateUpdated))
}

func (t *tx) DeleteMessagingService(accountSID, sid string) error {
	return t.execOne("Service", sid, `DELETE FROM messaging_services WHERE account_sid = $1 AND sid = $2`, accountSID, sid)
}

const senderColumns = `s.seq, s.service_sid, s.date_created, n.seq, n.sid, n.account_sid, n.phone_number,
	n.friendly_name, n.date_created, n.date_updated`

const senderFrom = ` FROM messaging_senders s JOIN phone_numbers n ON n.sid = s.phone_number_sid`

func scanSender(sc scanner) (*parley.Sender, error) {
	s := parley.Sender{Number: &parley.PhoneNumber{}}
	n := s.Number
	var created, nCreated, nUpdated int64
	err := sc.Scan(&s.Seq, &s.ServiceSID, &created, &n.Seq, &n.SID, &n.AccountSID, &n.PhoneNumber, &n.FriendlyName,
		&nCreated, &nUpdated)
	if err != nil {
		return nil, err
	}
	s.DateCreated, n.DateCreated, n.DateUpdated = fromMillis(created), fromMillis(nCreated), fromMillis(nUpdated)
	return &s, nil
}

func (t *tx) AddSender(s *parley.Sender) error {
	err := t.queryRow(`INSERT INTO messaging_senders (service_sid, phone_number_sid, date_created) VALUES ($1, $2, $3)
		RETURNING seq`, s.ServiceSID, s.Number.SID, millis(s.DateCreated)).Scan(&s.Seq)
	if err != nil && isUniqueViolation(err) {
		return parley.Errorf(parley.CodeSenderInOtherService, "Phone Number %s is associated with another Messaging Service", s.Number.PhoneNumber)
	}
	return parentGone(err, "Service", s.ServiceSID)
}

func (t *tx) SenderService(phoneNumberSID string) (string, error) {
	var sid string
	err := t.queryRow(`SELECT service_sid FROM messaging_senders WHERE phone_number_sid = $1`, phoneNumberSID).Scan(&sid)
	return sid, notFound(err, "PhoneNumber", phoneNumberSID)
}

func (t *tx) Sender(serviceSID, phoneNumberSID string) (*parley.Sender, error) {
	s, err := scanSender(t.queryRow(`SELECT `+senderColumns+senderFrom+` WHERE s.service_sid = $1 AND s.phone_number_sid = $2`,
		serviceSID, phoneNumberSID))
	if err != nil {
		return nil, notFound(err, "PhoneNumber", phoneNumberSID)
	}
	return s, nil
}

func (t *tx) ListSenders(serviceSID string, p parley.PageRequest) (parley.Page[*parley.Sender], error) {
	var q query
	q.add("s.service_sid = ?", serviceSID)
	tail, reversed := q.page("s.seq", p)
	rows, err := t.query(`SELECT `+senderColumns+senderFrom+tail, q.args...)
	return collect(rows, err, p.Size, reversed, scanSender)
}

func (t *tx) RemoveSender(serviceSID, phoneNumberSID string) error {
	return t.execOne("PhoneNumber", phoneNumberSID, `DELETE FROM messaging_senders WHERE service_sid = $1 AND phone_number_sid = $2`,
		serviceSID, phoneNumberSID)
}
