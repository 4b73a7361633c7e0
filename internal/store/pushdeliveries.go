package store

import (
	"database/sql"

	parley "github.com/parley-dev/parley"
)

func (t *tx) SavePushDelivery(d *parley.PushDelivery, keep int) error {
	if _, err := t.exec(`INSERT INTO push_deliveries (account_sid, key, kind, binding_sid, binding_type, identity,
		endpoint, transport, attempts, last_status, outcome, detail, title, body, request, date)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
		ON CONFLICT (account_sid, key) DO UPDATE SET transport = excluded.transport, attempts = excluded.attempts,
		last_status = excluded.last_status, outcome = excluded.outcome, detail = excluded.detail,
		request = excluded.request, date = excluded.date`,
		d.AccountSID, d.Key, d.Kind, d.BindingSID, d.BindingType, d.Identity, d.Endpoint, d.Transport, d.Attempts,
		d.Status, d.Outcome, d.Detail, d.Title, d.Body, d.Request, millis(d.Date)); err != nil {
		return err
	}
	_, err := t.exec(`DELETE FROM push_deliveries WHERE account_sid = $1 AND seq <= (
		SELECT seq FROM push_deliveries WHERE account_sid = $1 ORDER BY seq DESC LIMIT 1 OFFSET $2)`, d.AccountSID, keep)
	return err
}

func (t *tx) RecentPushDeliveries(accountSID string, limit int) ([]parley.PushDelivery, error) {
	rows, err := t.query(`SELECT key, kind, binding_sid, binding_type, identity, endpoint, transport, attempts,
		last_status, outcome, detail, title, body, request, date
		FROM push_deliveries WHERE account_sid = $1 ORDER BY seq DESC LIMIT $2`, accountSID, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []parley.PushDelivery{}
	for rows.Next() {
		d := parley.PushDelivery{AccountSID: accountSID}
		var status sql.NullInt64
		var detail, request sql.NullString
		var date int64
		if err := rows.Scan(&d.Key, &d.Kind, &d.BindingSID, &d.BindingType, &d.Identity, &d.Endpoint, &d.Transport,
			&d.Attempts, &status, &d.Outcome, &detail, &d.Title, &d.Body, &request, &date); err != nil {
			return nil, err
		}
		if status.Valid {
			s := int(status.Int64)
			d.Status = &s
		}
		d.Detail, d.Request, d.Date = strPtr(detail), strPtr(request), fromMillis(date)
		out = append(out, d)
	}
	return out, rows.Err()
}
