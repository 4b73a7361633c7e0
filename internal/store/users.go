package store

import (
	"database/sql"
	"errors"

	parley "github.com/parley-dev/parley"
)

const userColumns = `seq, sid, account_sid, service_sid, identity, friendly_name, attributes, role_sid, date_created, date_updated`

func scanUser(s scanner) (*parley.User, error) {
	var u parley.User
	err := s.Scan(&u.Seq, &u.SID, &u.AccountSID, &u.ServiceSID, &u.Identity, optional(&u.FriendlyName), &u.Attributes,
		optional(&u.RoleSID), inMillis(&u.DateCreated), inMillis(&u.DateUpdated))
	return &u, err
}

func (t *tx) CreateUser(u *parley.User) error {
	err := t.queryRow(`INSERT INTO users (sid, account_sid, service_sid, identity, friendly_name, attributes, role_sid,
		date_created, date_updated) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING seq`,
		u.SID, u.AccountSID, u.ServiceSID, u.Identity, u.FriendlyName, u.Attributes, u.RoleSID,
		millis(u.DateCreated), millis(u.DateUpdated)).Scan(&u.Seq)
	if err != nil && isUniqueViolation(err) {
		return parley.Errorf(parley.CodeUserExists, "User with identity %s already exists", u.Identity)
	}
	return parentGone(err, "Service", u.ServiceSID)
}

func (t *tx) EnsureUser(u *parley.User) (bool, error) {
	// ON CONFLICT DO NOTHING waits for a concurrent insert of the same
	// identity to commit and then inserts nothing; the SELECT that follows
	// (a new statement, hence a new snapshot on PostgreSQL) sees its row.
	// Either way the row stays locked until the transaction ends: the row
	// inserted is invisible to others until then, the row selected is read
	// FOR UPDATE.
	err := t.queryRow(`INSERT INTO users (sid, account_sid, service_sid, identity, friendly_name, attributes, role_sid,
		date_created, date_updated) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
		ON CONFLICT (service_sid, identity) DO NOTHING RETURNING seq`,
		u.SID, u.AccountSID, u.ServiceSID, u.Identity, u.FriendlyName, u.Attributes, u.RoleSID,
		millis(u.DateCreated), millis(u.DateUpdated)).Scan(&u.Seq)
	if !errors.Is(err, sql.ErrNoRows) {
		return err == nil, err
	}
	existing, err := scanUser(t.queryRow(`SELECT `+userColumns+` FROM users WHERE service_sid = $1 AND identity = $2`+
		t.rowLock(" FOR UPDATE"), u.ServiceSID, u.Identity))
	if err != nil {
		return false, notFound(err, "User", u.Identity)
	}
	*u = *existing
	return false, nil
}

func (t *tx) User(serviceSID, id string) (*parley.User, error) {
	col := "identity"
	if parley.IsSID(id, parley.PrefixUser) {
		col = "sid"
	}
	u, err := scanUser(t.queryRow(`SELECT `+userColumns+` FROM users WHERE service_sid = $1 AND `+col+` = $2`, serviceSID, id))
	if err != nil {
		return nil, notFound(err, "User", id)
	}
	return u, nil
}

func (t *tx) ListUsers(serviceSID string, p parley.PageRequest) (parley.Page[*parley.User], error) {
	var q query
	q.add("service_sid = ?", serviceSID)
	tail, reversed := q.page("seq", p)
	rows, err := t.query(`SELECT `+userColumns+` FROM users`+tail, q.args...)
	return collect(rows, err, p.Size, reversed, scanUser)
}

func (t *tx) UpdateUser(u *parley.User) error {
	return t.execOne("User", u.SID, `UPDATE users SET friendly_name = $2, attributes = $3, role_sid = $4, date_updated = $5
		WHERE sid = $1`, u.SID, u.FriendlyName, u.Attributes, u.RoleSID, millis(u.DateUpdated))
}

func (t *tx) DeleteUser(serviceSID, sid string) error {
	return t.execOne("User", sid, `DELETE FROM users WHERE service_sid = $1 AND sid = $2`, serviceSID, sid)
}
