package parley

import "time"

// SID prefixes of the configuration resources.
const (
	PrefixScopedWebhook = "WH"
	PrefixCredential    = "CR"
	PrefixAddressConfig = "IG"
	PrefixStudioFlow    = "FW"
)

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

// Conversation-scoped webhook targets.
const (
	WebhookTargetWebhook = "webhook"
	WebhookTargetTrigger = "trigger"
	WebhookTargetStudio  = "studio"
)

// ScopedWebhook is a post-event webhook attached to one conversation.
type ScopedWebhook struct {
	Seq             int64
	SID             string
	AccountSID      string
	ServiceSID      string
	ConversationSID string
	Target          string
	URL             *string
	Method          *string
	Filters         []string
	Triggers        []string
	FlowSID         *string
	// ReplayAfter is fixed at creation: the message index from which
	// existing messages are replayed to the new webhook.
	ReplayAfter *int64
	// RetryCount is how many times a Chat-dialect delivery is retried
	// after a timeout or a 429/503/504 answer (0 to 3; Chat's
	// Configuration.RetryCount).
	RetryCount  int64
	DateCreated time.Time
	DateUpdated time.Time
}

// ScopedWebhookFields are the writable fields of a conversation-scoped
// webhook. Target and ReplayAfter are read on create only.
type ScopedWebhookFields struct {
	Target      *string
	URL         *string
	Method      *string
	Filters     *[]string
	Triggers    *[]string
	FlowSID     *string
	ReplayAfter *int64
	RetryCount  *int64
}

// NotificationTemplate is one kind of push notification of a service.
type NotificationTemplate struct {
	Enabled  bool
	Template *string
	Sound    *string
}

// NotificationConfig is a service's push notification configuration.
type NotificationConfig struct {
	AccountSID              string
	ServiceSID              string
	NewMessage              NotificationTemplate
	NewMessageBadgeCount    bool
	NewMessageWithMedia     NotificationTemplate // Sound is unused
	AddedToConversation     NotificationTemplate
	RemovedFromConversation NotificationTemplate
	LogEnabled              bool
	DateUpdated             time.Time
}

// NotificationTemplateFields are the writable fields of one notification kind.
type NotificationTemplateFields struct {
	Enabled  *bool
	Template *string
	Sound    *string
}

// NotificationConfigFields are the writable fields of a notification configuration.
type NotificationConfigFields struct {
	NewMessage              NotificationTemplateFields
	NewMessageBadgeCount    *bool
	NewMessageWithMedia     NotificationTemplateFields
	AddedToConversation     NotificationTemplateFields
	RemovedFromConversation NotificationTemplateFields
	LogEnabled              *bool
}

// Push credential types.
const (
	CredentialAPN = "apn"
	CredentialGCM = "gcm"
	CredentialFCM = "fcm"
)

// Credential is a push credential of an account. Its secrets never leave the
// domain in the clear: the store holds them sealed under the master key.
type Credential struct {
	Seq          int64
	SID          string
	AccountSID   string
	FriendlyName *string
	Type         string
	Sandbox      *bool
	// Sealed is the encrypted CredentialSecrets.
	Sealed      []byte
	DateCreated time.Time
	DateUpdated time.Time
}

// CredentialSecrets are a credential's write-only values.
type CredentialSecrets struct {
	Certificate string `json:"certificate,omitempty"`
	PrivateKey  string `json:"private_key,omitempty"`
	APIKey      string `json:"api_key,omitempty"`
	Secret      string `json:"secret,omitempty"`
}

// CredentialFields are the writable fields of a credential.
type CredentialFields struct {
	Type         *string
	FriendlyName *string
	Certificate  *string
	PrivateKey   *string
	Sandbox      *bool
	APIKey       *string
	Secret       *string
}

// AutoCreation is how an address configuration creates conversations for
// inbound messages.
type AutoCreation struct {
	Enabled                bool
	Type                   *string // webhook, studio or default
	ConversationServiceSID *string
	WebhookURL             *string
	WebhookMethod          *string
	WebhookFilters         []string
	StudioFlowSID          *string
	StudioRetryCount       *int64
}

// AddressConfig is an Address Configuration: what happens to inbound
// messages to one of the account's addresses.
type AddressConfig struct {
	Seq            int64
	SID            string
	AccountSID     string
	Type           string
	Address        string
	FriendlyName   *string
	AddressCountry *string
	AutoCreation   AutoCreation
	DateCreated    time.Time
	DateUpdated    time.Time
}

// AddressConfigFields are the writable fields of an address configuration.
// Type, Address and AddressCountry are read on create only.
type AddressConfigFields struct {
	Type                   *string
	Address                *string
	FriendlyName           *string
	AddressCountry         *string
	Enabled                *bool
	AutoCreationType       *string
	ConversationServiceSID *string
	WebhookURL             *string
	WebhookMethod          *string
	WebhookFilters         *[]string
	StudioFlowSID          *string
	StudioRetryCount       *int64
}
