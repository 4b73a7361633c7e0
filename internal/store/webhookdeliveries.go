package store

import (
	"context"
	"database/sql"

	parley "github.com/parley-dev/parley"
)

// SaveWebhookDeliveries writes inspector records in one transaction: new
// deliveries are added, known ones (same account and token) updated, and
// each account touched is trimmed to its keep newest records.
func (db *DB) SaveWebhookDeliveries(ctx context.Context, ds []parley.WebhookDelivery, keep int) error {
	if len(ds) == 0 {
		return nil
	}
	return db.Write(ctx, func(ptx parley.Tx) error {
		t := ptx.(*tx)
		accounts := map[string]bool{}
		for _, d := range ds {
			var lastError *string
			if d.LastError != nil {
				e := diagnostic(*d.LastError)
				lastError = &e
			}
			if _, err := t.exec(`INSERT INTO webhook_deliveries (account_sid, token, kind, event, url, method, attempts,
				last_status, latency_ms, last_error, request_id, date) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
				ON CONFLICT (account_sid, token) DO UPDATE SET attempts = excluded.attempts, last_status = excluded.last_status,
				latency_ms = excluded.latency_ms, last_error = excluded.last_error, date = excluded.date`,
				d.AccountSID, d.Token, d.Kind, d.Event, d.URL, d.Method, d.Attempts, d.LastStatus, d.LatencyMs, lastError,
				d.RequestID, millis(d.Date)); err != nil {
				return err
			}
			accounts[d.AccountSID] = true
		}
		for acct := range accounts {
			if _, err := t.exec(`DELETE FROM webhook_deliveries WHERE account_sid = $1 AND seq <= (
				SELECT seq FROM webhook_deliveries WHERE account_sid = $1 ORDER BY seq DESC LIMIT 1 OFFSET $2)`,
				acct, keep); err != nil {
				return err
			}
		}
		return nil
	})
}

// RecentWebhookDeliveries lists an account's newest inspector records,
// newest first.
func (db *DB) RecentWebhookDeliveries(ctx context.Context, accountSID string, limit int) ([]parley.WebhookDelivery, error) {
	out := []parley.WebhookDelivery{}
	err := db.Read(ctx, func(ptx parley.Tx) error {
		rows, err := ptx.(*tx).query(`SELECT kind, event, url, method, attempts, last_status, latency_ms, last_error,
			token, request_id, date FROM webhook_deliveries WHERE account_sid = $1 ORDER BY seq DESC LIMIT $2`, accountSID, limit)
		if err != nil {
			return err
		}
		defer rows.Close()
		out = out[:0]
		for rows.Next() {
			d := parley.WebhookDelivery{AccountSID: accountSID}
			var status, latency sql.NullInt64
			var lastError sql.NullString
			var date int64
			if err := rows.Scan(&d.Kind, &d.Event, &d.URL, &d.Method, &d.Attempts, &status, &latency, &lastError,
				&d.Token, &d.RequestID, &date); err != nil {
				return err
			}
			if status.Valid {
				s := int(status.Int64)
				d.LastStatus = &s
			}
			if latency.Valid {
				d.LatencyMs = &latency.Int64
			}
			d.LastError = strPtr(lastError)
			d.Date = fromMillis(date)
			out = append(out, d)
		}
		return rows.Err()
	})
	return out, err
}
