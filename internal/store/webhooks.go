package store

import (
	"database/sql"
	"encoding/json"

	parley "github.com/parley-dev/parley"
)

// encodeStrings encodes a string list for a TEXT column; nil is stored as [].
func encodeStrings(v []string) string {
	if v == nil {
		v = []string{}
	}
	b, _ := json.Marshal(v) // a []string always marshals
	return string(b)
}

// decodeStrings decodes a TEXT column written by encodeStrings.
func decodeStrings(s string) ([]string, error) {
	v := []string{}
	err := json.Unmarshal([]byte(s), &v)
	return v, err
}

// webhookScope is the key of a webhook configuration row: the service when
// there is one, else the account.
func webhookScope(accountSID, serviceSID string) string {
	if serviceSID != "" {
		return serviceSID
	}
	return accountSID
}

func (t *tx) WebhookConfig(accountSID, serviceSID string) (*parley.WebhookConfig, error) {
	c := parley.WebhookConfig{AccountSID: accountSID, ServiceSID: serviceSID}
	var filters string
	var updated int64
	var pre, post sql.NullString
	err := t.queryRow(`SELECT method, filters, pre_webhook_url, post_webhook_url, target, date_updated
		FROM webhook_configs WHERE scope_sid = $1 AND account_sid = $2`, webhookScope(accountSID, serviceSID), accountSID).Scan(
		&c.Method, &filters, &pre, &post, &c.Target, &updated)
	if err != nil {
		return nil, notFound(err, "Webhook configuration", webhookScope(accountSID, serviceSID))
	}
	c.PreWebhookURL, c.PostWebhookURL, c.DateUpdated = strPtr(pre), strPtr(post), fromMillis(updated)
	c.Filters, err = decodeStrings(filters)
	return &c, err
}

func (t *tx) PutWebhookConfig(c *parley.WebhookConfig) error {
	var service *string
	if c.ServiceSID != "" {
		service = &c.ServiceSID
	}
	_, err := t.exec(`INSERT INTO webhook_configs (scope_sid, account_sid, service_sid, method, filters,
		pre_webhook_url, post_webhook_url, target, date_updated) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
		ON CONFLICT (scope_sid) DO UPDATE SET method = excluded.method, filters = excluded.filters,
		pre_webhook_url = excluded.pre_webhook_url, post_webhook_url = excluded.post_webhook_url,
		target = excluded.target, date_updated = excluded.date_updated`,
		webhookScope(c.AccountSID, c.ServiceSID), c.AccountSID, service, c.Method, encodeStrings(c.Filters),
		c.PreWebhookURL, c.PostWebhookURL, c.Target, millis(c.DateUpdated))
	return err
}
