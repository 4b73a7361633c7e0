package parley

import "time"

// WebhookConfig is the webhook configuration of an account
// (/v1/Configuration/Webhooks, ServiceSID empty) or of one service
// (/v1/Services/{IS}/Configuration/Webhooks).
type WebhookConfig struct {
	AccountSID     string
	ServiceSID     string
	Method         string // GET or POST
	Filters        []string
	PreWebhookURL  *string
	PostWebhookURL *string
	// Target is webhook or flex; only the account configuration has one.
	Target      string
	DateUpdated time.Time
}

// WebhookConfigFields are the writable fields of a webhook configuration.
// Filters is nil when the request did not send the parameter.
type WebhookConfigFields struct {
	Method         *string
	Filters        *[]string
	PreWebhookURL  *string
	PostWebhookURL *string
	Target         *string
}

// WebhookTx keeps the webhook configurations of accounts and services.
type WebhookTx interface {
	// WebhookConfig returns the webhook configuration of an account
	// (serviceSID "") or a service; CodeNotFound when it was never written.
	WebhookConfig(accountSID, serviceSID string) (*WebhookConfig, error)
	// PutWebhookConfig creates or replaces a webhook configuration.
	PutWebhookConfig(c *WebhookConfig) error
}
