package store

import (
	"database/sql"
	"encoding/json"
	"strconv"
	"strings"

	parley "github.com/parley-dev/parley"
)

const pushBindingColumns = `seq, sid, account_sid, service_sid, credential_sid, endpoint, identity, binding_type,
	message_types, date_created, date_updated`

func scanBinding(s scanner) (*parley.Binding, error) {
	var b parley.Binding
	var credential sql.NullString
	var types string
	var created, updated int64
	err := s.Scan(&b.Seq, &b.SID, &b.AccountSID, &b.ServiceSID, &credential, &b.Endpoint, &b.Identity, &b.BindingType,
		&types, &created, &updated)
	if err != nil {
		return &b, err
	}
	b.CredentialSID = strPtr(credential)
	b.DateCreated, b.DateUpdated = fromMillis(created), fromMillis(updated)
	return &b, json.Unmarshal([]byte(types), &b.MessageTypes)
}

func (t *tx) CreateBinding(b *parley.Binding) error {
	types := b.MessageTypes
	if types == nil {
		types = []string{} // stored as [], so it renders as an empty array, never null
	}
	raw, err := json.Marshal(types)
	if err != nil {
		return err
	}
	err = t.queryRow(`INSERT INTO bindings (sid, account_sid, service_sid, credential_sid, endpoint, identity,
		binding_type, message_types, date_created, date_updated)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING seq`,
		b.SID, b.AccountSID, b.ServiceSID, b.CredentialSID, b.Endpoint, b.Identity, b.BindingType, string(raw),
		millis(b.DateCreated), millis(b.DateUpdated)).Scan(&b.Seq)
	return parentGone(err, "Service", b.ServiceSID)
}

func (t *tx) Binding(serviceSID, sid string) (*parley.Binding, error) {
	b, err := scanBinding(t.queryRow(`SELECT `+pushBindingColumns+` FROM bindings WHERE service_sid = $1 AND sid = $2`,
		serviceSID, sid))
	if err != nil {
		return nil, notFound(err, "Binding", sid)
	}
	return b, nil
}

func (t *tx) ListBindings(serviceSID string, f parley.BindingFilter, p parley.PageRequest) (parley.Page[*parley.Binding], error) {
	var q query
	q.add("service_sid = ?", serviceSID)
	q.addIn("binding_type", f.BindingTypes)
	q.addIn("identity", f.Identities)
	tail, reversed := q.page("seq", p)
	rows, err := t.query(`SELECT `+pushBindingColumns+` FROM bindings`+tail, q.args...)
	return collect(rows, err, p.Size, reversed, scanBinding)
}

func (t *tx) DeleteBinding(serviceSID, sid string) error {
	return t.execOne("Binding", sid, `DELETE FROM bindings WHERE service_sid = $1 AND sid = $2`, serviceSID, sid)
}

// addIn appends "col IN (...)" over values; no values adds no condition.
func (q *query) addIn(col string, values []string) {
	if len(values) == 0 {
		return
	}
	marks := make([]string, len(values))
	for i, v := range values {
		q.args = append(q.args, v)
		marks[i] = "$" + strconv.Itoa(len(q.args))
	}
	q.where = append(q.where, col+" IN ("+strings.Join(marks, ", ")+")")
}
