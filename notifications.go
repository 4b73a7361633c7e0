package parley

import "time"

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
	// InvitedToChannel is Chat's alone (its Notifications.InvitedToChannel):
	// the Conversations configuration has no such kind.
	InvitedToChannel NotificationTemplate
	LogEnabled       bool
	DateUpdated      time.Time
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

// NotificationTx keeps services' push notification configurations.
type NotificationTx interface {
	// NotificationConfig returns a service's notification configuration;
	// CodeNotFound when it was never written.
	NotificationConfig(serviceSID string) (*NotificationConfig, error)
	// PutNotificationConfig creates or replaces a notification configuration.
	PutNotificationConfig(n *NotificationConfig) error
}
