package store

import (
	"database/sql"
	"encoding/base64"

	parley "github.com/parley-dev/parley"
)

const accountColumns = `seq, sid, auth_token, owner_account_sid, status, friendly_name, default_service_sid,
	default_messaging_service_sid, default_inactive_timer, default_closed_timer, date_created, date_updated`

func scanAccount(s scanner) (*parley.Account, error) {
	var a parley.Account
	var owner, msg, inactive, closed sql.NullString
	var created, updated int64
	err := s.Scan(&a.Seq, &a.SID, &a.AuthToken, &owner, &a.Status, &a.FriendlyName, &a.DefaultServiceSID, &msg, &inactive,
		&closed, &created, &updated)
	if err != nil {
		return nil, err
	}
	a.OwnerAccountSID = a.SID
	if owner.Valid {
		a.OwnerAccountSID = owner.String
	}
	a.DefaultMessagingServiceSID, a.DefaultInactiveTimer, a.DefaultClosedTimer = strPtr(msg), strPtr(inactive), strPtr(closed)
	a.DateCreated, a.DateUpdated = fromMillis(created), fromMillis(updated)
	return &a, nil
}

func (t *tx) FirstAccount() (*parley.Account, error) {
	var sid string
	err := t.queryRow(`SELECT sid FROM accounts WHERE owner_account_sid = sid ORDER BY date_created, sid LIMIT 1`).Scan(&sid)
	if err != nil {
		return nil, notFound(err, "Account", "")
	}
	return t.Account(sid)
}

func (t *tx) CreateAccount(a *parley.Account) error {
	if a.OwnerAccountSID == "" {
		a.OwnerAccountSID = a.SID
	}
	if a.Status == "" {
		a.Status = parley.AccountActive
	}
	_, err := t.exec(`INSERT INTO accounts (`+accountColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
		a.Seq, a.SID, a.AuthToken, a.OwnerAccountSID, a.Status, a.FriendlyName, a.DefaultServiceSID,
		a.DefaultMessagingServiceSID, a.DefaultInactiveTimer, a.DefaultClosedTimer, millis(a.DateCreated), millis(a.DateUpdated))
	return err
}

func (t *tx) Account(sid string) (*parley.Account, error) {
	a, err := scanAccount(t.queryRow(`SELECT `+accountColumns+` FROM accounts WHERE sid = $1`, sid))
	if err != nil {
		return nil, notFound(err, "Account", sid)
	}
	return a, nil
}

func (t *tx) LockAccount(sid string) (*parley.Account, error) {
	a, err := scanAccount(t.queryRow(`SELECT `+accountColumns+` FROM accounts WHERE sid = $1`+t.rowLock(" FOR UPDATE"), sid))
	if err != nil {
		return nil, notFound(err, "Account", sid)
	}
	return a, nil
}

func (t *tx) NextAccountSeq(ownerSID string) (int64, error) {
	var next int64
	err := t.queryRow(`SELECT COALESCE(MAX(seq), 0) + 1 FROM accounts WHERE owner_account_sid = $1`, ownerSID).Scan(&next)
	return next, err
}

func (t *tx) ListAccounts(ownerSID string, f parley.AccountFilter, p parley.PageRequest) (parley.Page[*parley.Account], error) {
	var q query
	q.add("owner_account_sid = ?", ownerSID)
	if f.FriendlyName != nil {
		q.add("friendly_name = ?", *f.FriendlyName)
	}
	if f.Status != nil {
		q.add("status = ?", *f.Status)
	}
	tail, reversed := q.page("seq", p)
	rows, err := t.query(`SELECT `+accountColumns+` FROM accounts`+tail, q.args...)
	return collect(rows, err, p.Size, reversed, scanAccount)
}

func (t *tx) UpdateAccount(a *parley.Account) error {
	return t.execOne("Account", a.SID, `UPDATE accounts SET auth_token = $2, friendly_name = $3, default_service_sid = $4,
		default_messaging_service_sid = $5, default_inactive_timer = $6, default_closed_timer = $7, date_updated = $8,
		status = $9 WHERE sid = $1`,
		a.SID, a.AuthToken, a.FriendlyName, a.DefaultServiceSID, a.DefaultMessagingServiceSID,
		a.DefaultInactiveTimer, a.DefaultClosedTimer, millis(a.DateUpdated), a.Status)
}

// PurgeAccountData relies on the schema's cascades: deleting a service
// removes its conversations, participants, messages, users, roles and
// bindings.
func (t *tx) PurgeAccountData(accountSID string) error {
	for _, table := range []string{"services", "webhook_configs", "credentials", "address_configs", "api_keys", "messaging_services", "phone_numbers", "channel_inbound"} {
		if _, err := t.exec(`DELETE FROM `+table+` WHERE account_sid = $1`, accountSID); err != nil {
			return err
		}
	}
	return nil
}

const apiKeyColumns = `seq, sid, account_sid, friendly_name, sealed, date_created, date_updated`

func scanAPIKey(s scanner) (*parley.APIKey, error) {
	var k parley.APIKey
	var name sql.NullString
	var sealed string
	var created, updated int64
	if err := s.Scan(&k.Seq, &k.SID, &k.AccountSID, &name, &sealed, &created, &updated); err != nil {
		return nil, err
	}
	k.FriendlyName, k.DateCreated, k.DateUpdated = strPtr(name), fromMillis(created), fromMillis(updated)
	var err error
	k.Sealed, err = base64.StdEncoding.DecodeString(sealed)
	return &k, err
}

func (t *tx) CreateAPIKey(k *parley.APIKey) error {
	return t.queryRow(`INSERT INTO api_keys (sid, account_sid, friendly_name, sealed, date_created, date_updated)
		VALUES ($1, $2, $3, $4, $5, $6) RETURNING seq`,
		k.SID, k.AccountSID, k.FriendlyName, base64.StdEncoding.EncodeToString(k.Sealed),
		millis(k.DateCreated), millis(k.DateUpdated)).Scan(&k.Seq)
}

func (t *tx) APIKey(accountSID, sid string) (*parley.APIKey, error) {
	k, err := scanAPIKey(t.queryRow(`SELECT `+apiKeyColumns+` FROM api_keys WHERE account_sid = $1 AND sid = $2`, accountSID, sid))
	if err != nil {
		return nil, notFound(err, "Key", sid)
	}
	return k, nil
}

func (t *tx) APIKeyBySID(sid string) (*parley.APIKey, error) {
	k, err := scanAPIKey(t.queryRow(`SELECT `+apiKeyColumns+` FROM api_keys WHERE sid = $1`, sid))
	if err != nil {
		return nil, notFound(err, "Key", sid)
	}
	return k, nil
}

func (t *tx) APIKeyByName(accountSID, name string) (*parley.APIKey, error) {
	k, err := scanAPIKey(t.queryRow(`SELECT `+apiKeyColumns+` FROM api_keys WHERE account_sid = $1 AND friendly_name = $2
		ORDER BY seq LIMIT 1`, accountSID, name))
	if err != nil {
		return nil, notFound(err, "Key", name)
	}
	return k, nil
}

func (t *tx) ListAPIKeys(accountSID string, p parley.PageRequest) (parley.Page[*parley.APIKey], error) {
	var q query
	q.add("account_sid = ?", accountSID)
	tail, reversed := q.page("seq", p)
	rows, err := t.query(`SELECT `+apiKeyColumns+` FROM api_keys`+tail, q.args...)
	return collect(rows, err, p.Size, reversed, scanAPIKey)
}

func (t *tx) UpdateAPIKey(k *parley.APIKey) error {
	return t.execOne("Key", k.SID, `UPDATE api_keys SET friendly_name = $3, date_updated = $4 WHERE account_sid = $1 AND sid = $2`,
		k.AccountSID, k.SID, k.FriendlyName, millis(k.DateUpdated))
}

func (t *tx) DeleteAPIKey(accountSID, sid string) error {
	return t.execOne("Key", sid, `DELETE FROM api_keys WHERE account_sid = $1 AND sid = $2`, accountSID, sid)
}
