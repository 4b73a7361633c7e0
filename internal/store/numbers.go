package store

import (
	"strings"

	parley "github.com/parley-dev/parley"
)

const phoneNumberColumns = `seq, sid, account_sid, phone_number, friendly_name, date_created, date_updated`

func scanPhoneNumber(s scanner) (*parley.PhoneNumber, error) {
	var n parley.PhoneNumber
	var created, updated int64
	if err := s.Scan(&n.Seq, &n.SID, &n.AccountSID, &n.PhoneNumber, &n.FriendlyName, &created, &updated); err != nil {
		return nil, err
	}
	n.DateCreated, n.DateUpdated = fromMillis(created), fromMillis(updated)
	return &n, nil
}

func (t *tx) CreatePhoneNumber(n *parley.PhoneNumber) error {
	err := t.queryRow(`INSERT INTO phone_numbers (sid, account_sid, phone_number, friendly_name, date_created, date_updated)
		VALUES ($1, $2, $3, $4, $5, $6) RETURNING seq`,
		n.SID, n.AccountSID, n.PhoneNumber, n.FriendlyName, millis(n.DateCreated), millis(n.DateUpdated)).Scan(&n.Seq)
	if err != nil && isUniqueViolation(err) {
		return parley.Errorf(parley.CodePhoneNumberUnavailable, "PhoneNumber %s is not available", n.PhoneNumber)
	}
	return parentGone(err, "Account", n.AccountSID)
}

func (t *tx) PhoneNumber(accountSID, sid string) (*parley.PhoneNumber, error) {
	n, err := scanPhoneNumber(t.queryRow(`SELECT `+phoneNumberColumns+` FROM phone_numbers
		WHERE account_sid = $1 AND sid = $2`, accountSID, sid))
	if err != nil {
		return nil, notFound(err, "IncomingPhoneNumber", sid)
	}
	return n, nil
}

func (t *tx) ListPhoneNumbers(accountSID string, f parley.PhoneNumberFilter, p parley.PageRequest) (parley.Page[*parley.PhoneNumber], error) {
	var q query
	q.add("account_sid = ?", accountSID)
	if f.PhoneNumber != nil {
		// The filter holds only '+', digits and '*' (checked by core), so
		// it needs no LIKE escaping.
		q.add("phone_number LIKE ?", "%"+strings.ReplaceAll(*f.PhoneNumber, "*", "_")+"%")
	}
	if f.FriendlyName != nil {
		q.add("friendly_name = ?", *f.FriendlyName)
	}
	tail, reversed := q.page("seq", p)
	rows, err := t.query(`SELECT `+phoneNumberColumns+` FROM phone_numbers`+tail, q.args...)
	return collect(rows, err, p.Size, reversed, scanPhoneNumber)
}

func (t *tx) UpdatePhoneNumber(n *parley.PhoneNumber) error {
	return t.execOne("IncomingPhoneNumber", n.SID, `UPDATE phone_numbers SET friendly_name = $3, date_updated = $4
		WHERE account_sid = $1 AND sid = $2`, n.AccountSID, n.SID, n.FriendlyName, millis(n.DateUpdated))
}

func (t *tx) DeletePhoneNumber(accountSID, sid string) error {
	return t.execOne("IncomingPhoneNumber", sid, `DELETE FROM phone_numbers WHERE account_sid = $1 AND sid = $2`, accountSID, sid)
}
