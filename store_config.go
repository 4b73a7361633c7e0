package parley

// ConfigTx is the part of Tx for webhook configurations, notification
// settings, push credentials and address configurations.
type ConfigTx interface {
	// WebhookConfig returns the webhook configuration of an account
	// (serviceSID "") or a service; CodeNotFound when it was never written.
	WebhookConfig(accountSID, serviceSID string) (*WebhookConfig, error)
	// PutWebhookConfig creates or replaces a webhook configuration.
	PutWebhookConfig(c *WebhookConfig) error

	// NotificationConfig returns a service's notification configuration;
	// CodeNotFound when it was never written.
	NotificationConfig(serviceSID string) (*NotificationConfig, error)
	// PutNotificationConfig creates or replaces a notification configuration.
	PutNotificationConfig(n *NotificationConfig) error

	CreateScopedWebhook(w *ScopedWebhook) error
	ScopedWebhook(conversationSID, sid string) (*ScopedWebhook, error)
	ListScopedWebhooks(conversationSID string, p PageRequest) (Page[*ScopedWebhook], error)
	// CountScopedWebhooks counts a conversation's webhooks, serialising
	// concurrent creators on the conversation row so a limit holds.
	CountScopedWebhooks(conversationSID string) (int, error)
	UpdateScopedWebhook(w *ScopedWebhook) error
	DeleteScopedWebhook(conversationSID, sid string) error

	CreateCredential(c *Credential) error
	Credential(accountSID, sid string) (*Credential, error)
	ListCredentials(accountSID string, p PageRequest) (Page[*Credential], error)
	UpdateCredential(c *Credential) error
	DeleteCredential(accountSID, sid string) error

	// CreateAddressConfig stores a new address configuration
	// (CodeAddressExists guards addresses per account).
	CreateAddressConfig(c *AddressConfig) error
	// AddressConfig finds an address configuration by SID or by address.
	AddressConfig(accountSID, sidOrAddress string) (*AddressConfig, error)
	// ListAddressConfigs lists the account's address configurations, of
	// one type when typ is not empty.
	ListAddressConfigs(accountSID, typ string, p PageRequest) (Page[*AddressConfig], error)
	UpdateAddressConfig(c *AddressConfig) error
	DeleteAddressConfig(accountSID, sid string) error
}
