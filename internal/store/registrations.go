package store

import (
	"encoding/json"

	parley "github.com/parley-dev/parley"
)

func (t *tx) RegisterBinding(b *parley.Binding) error {
	types := b.MessageTypes
	if types == nil {
		types = []string{}
	}
	raw, err := json.Marshal(types)
	if err != nil {
		return err
	}
	var created int64
	err = t.queryRow(`INSERT INTO bindings (sid, account_sid, service_sid, credential_sid, endpoint, identity,
		binding_type, message_types, date_created, date_updated)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
		ON CONFLICT (service_sid, binding_type, endpoint) DO UPDATE SET identity = excluded.identity,
			credential_sid = excluded.credential_sid, message_types = excluded.message_types,
			date_updated = excluded.date_updated
		RETURNING seq, sid, date_created`,
		b.SID, b.AccountSID, b.ServiceSID, b.CredentialSID, b.Endpoint, b.Identity, b.BindingType, string(raw),
		millis(b.DateCreated), millis(b.DateUpdated)).Scan(&b.Seq, &b.SID, &created)
	b.DateCreated = fromMillis(created)
	return parentGone(err, "Service", b.ServiceSID)
}

func (t *tx) DeleteBindingByEndpoint(serviceSID, identity, bindingType, endpoint string) error {
	_, err := t.exec(`DELETE FROM bindings WHERE service_sid = $1 AND identity = $2 AND binding_type = $3 AND endpoint = $4`,
		serviceSID, identity, bindingType, endpoint)
	return err
}
