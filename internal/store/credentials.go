package store

import (
	"database/sql"
	"encoding/base64"

	parley "github.com/parley-dev/parley"
)

const credentialColumns = `seq, sid, account_sid, friendly_name, type, sandbox, sealed, date_created, date_updated`

func scanCredential(s scanner) (*parley.Credential, error) {
	var c parley.Credential
	var name sql.NullString
	var sandbox sql.NullInt64
	var sealed string
	var created, updated int64
	if err := s.Scan(&c.Seq, &c.SID, &c.AccountSID, &name, &c.Type, &sandbox, &sealed, &created, &updated); err != nil {
		return nil, err
	}
	if sandbox.Valid {
		b := sandbox.Int64 != 0
		c.Sandbox = &b
	}
	c.FriendlyName, c.DateCreated, c.DateUpdated = strPtr(name), fromMillis(created), fromMillis(updated)
	var err error
	c.Sealed, err = base64.StdEncoding.DecodeString(sealed)
	return &c, err
}

func nullableBool(b *bool) any {
	if b == nil {
		return nil
	}
	return boolInt(*b)
}

func (t *tx) CreateCredential(c *parley.Credential) error {
	return t.queryRow(`INSERT INTO credentials (sid, account_sid, friendly_name, type, sandbox, sealed, date_created,
		date_updated) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING seq`,
		c.SID, c.AccountSID, c.FriendlyName, c.Type, nullableBool(c.Sandbox), base64.StdEncoding.EncodeToString(c.Sealed),
		millis(c.DateCreated), millis(c.DateUpdated)).Scan(&c.Seq)
}

func (t *tx) Credential(accountSID, sid string) (*parley.Credential, error) {
	c, err := scanCredential(t.queryRow(`SELECT `+credentialColumns+` FROM credentials WHERE account_sid = $1 AND sid = $2`,
		accountSID, sid))
	if err != nil {
		return nil, notFound(err, "Credential", sid)
	}
	return c, nil
}

func (t *tx) ListCredentials(accountSID string, p parley.PageRequest) (parley.Page[*parley.Credential], error) {
	var q query
	q.add("account_sid = ?", accountSID)
	tail, reversed := q.page("seq", p)
	rows, err := t.query(`SELECT `+credentialColumns+` FROM credentials`+tail, q.args...)
	return collect(rows, err, p.Size, reversed, scanCredential)
}

func (t *tx) UpdateCredential(c *parley.Credential) error {
	return t.execOne("Credential", c.SID, `UPDATE credentials SET friendly_name = $2, type = $3, sandbox = $4, sealed = $5,
		date_updated = $6 WHERE sid = $1`,
		c.SID, c.FriendlyName, c.Type, nullableBool(c.Sandbox), base64.StdEncoding.EncodeToString(c.Sealed), millis(c.DateUpdated))
}

func (t *tx) DeleteCredential(accountSID, sid string) error {
	return t.execOne("Credential", sid, `DELETE FROM credentials WHERE account_sid = $1 AND sid = $2`, accountSID, sid)
}
