package store

import (
	"database/sql"

	parley "github.com/parley-dev/parley"
)

const accountColumns = `sid, auth_token, friendly_name, default_service_sid, default_messaging_service_sid,
	default_inactive_timer, default_closed_timer, date_created, date_updated`

func (t *tx) FirstAccount() (*parley.Account, error) {
	var sid string
	err := t.queryRow(`SELECT sid FROM accounts ORDER BY date_created, sid LIMIT 1`).Scan(&sid)
	if err != nil {
		return nil, notFound(err, "Account", "")
	}
	return t.Account(sid)
}

func (t *tx) CreateAccount(a *parley.Account) error {
	_, err := t.exec(`INSERT INTO accounts (`+accountColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
		a.SID, a.AuthToken, a.FriendlyName, a.DefaultServiceSID, a.DefaultMessagingServiceSID,
		a.DefaultInactiveTimer, a.DefaultClosedTimer, millis(a.DateCreated), millis(a.DateUpdated))
	return err
}

func (t *tx) Account(sid string) (*parley.Account, error) {
	var a parley.Account
	var msg, inactive, closed sql.NullString
	var created, updated int64
	err := t.queryRow(`SELECT `+accountColumns+` FROM accounts WHERE sid = $1`, sid).Scan(
		&a.SID, &a.AuthToken, &a.FriendlyName, &a.DefaultServiceSID, &msg, &inactive, &closed, &created, &updated)
	if err != nil {
		return nil, notFound(err, "Account", sid)
	}
	a.DefaultMessagingServiceSID, a.DefaultInactiveTimer, a.DefaultClosedTimer = strPtr(msg), strPtr(inactive), strPtr(closed)
	a.DateCreated, a.DateUpdated = fromMillis(created), fromMillis(updated)
	return &a, nil
}

func (t *tx) UpdateAccount(a *parley.Account) error {
	return t.execOne("Account", a.SID, `UPDATE accounts SET auth_token = $2, friendly_name = $3, default_service_sid = $4,
		default_messaging_service_sid = $5, default_inactive_timer = $6, default_closed_timer = $7, date_updated = $8
		WHERE sid = $1`,
		a.SID, a.AuthToken, a.FriendlyName, a.DefaultServiceSID, a.DefaultMessagingServiceSID,
		a.DefaultInactiveTimer, a.DefaultClosedTimer, millis(a.DateUpdated))
}
