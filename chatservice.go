package parley

// ChatNotification is one push-notification setting of a Chat service.
type ChatNotification struct {
	Enabled           bool    `json:"enabled"`
	Template          *string `json:"template"`
	Sound             *string `json:"sound"`
	BadgeCountEnabled *bool   `json:"badge_count_enabled,omitempty"`
}

// ChatNotifications are a Chat service's push-notification settings.
type ChatNotifications struct {
	LogEnabled         bool             `json:"log_enabled"`
	NewMessage         ChatNotification `json:"new_message"`
	AddedToChannel     ChatNotification `json:"added_to_channel"`
	RemovedFromChannel ChatNotification `json:"removed_from_channel"`
	InvitedToChannel   ChatNotification `json:"invited_to_channel"`
}

// ChatSettings are the settings a Chat service has beyond a Conversation
// Service's. They are stored as one document, so the JSON names are the
// storage format.
type ChatSettings struct {
	ReadStatusEnabled         bool  `json:"read_status_enabled"`
	TypingIndicatorTimeout    int64 `json:"typing_indicator_timeout"`
	ConsumptionReportInterval int64 `json:"consumption_report_interval"`
	ChannelMembersLimit       int64 `json:"channel_members"`
	UserChannelsLimit         int64 `json:"user_channels"`
	// The webhook URLs, method and filters are the service's webhook
	// configuration (one for Conversations and Chat), filled in by the
	// Chat operations and never stored in this document.
	PreWebhookURL             *string           `json:"-"`
	PostWebhookURL            *string           `json:"-"`
	WebhookMethod             string            `json:"-"`
	WebhookFilters            []string          `json:"-"`
	PreWebhookRetryCount      int64             `json:"pre_webhook_retry_count"`
	PostWebhookRetryCount     int64             `json:"post_webhook_retry_count"`
	Notifications             ChatNotifications `json:"notifications"`
	MediaCompatibilityMessage *string           `json:"media_compatibility_message"`
}

// MediaSizeLimitMB is the largest media file a Chat service accepts.
const MediaSizeLimitMB = 150

// DefaultChatSettings are a new service's Chat settings, as Twilio creates
// them (https://www.twilio.com/docs/chat/rest/service-resource).
func DefaultChatSettings() ChatSettings {
	f := false
	return ChatSettings{ReadStatusEnabled: true, TypingIndicatorTimeout: 5, ConsumptionReportInterval: 10,
		ChannelMembersLimit: 100, UserChannelsLimit: 250, WebhookMethod: "POST", WebhookFilters: []string{},
		Notifications: ChatNotifications{NewMessage: ChatNotification{BadgeCountEnabled: &f}}}
}

// ChatNotificationFields are the writable fields of one notification setting.
type ChatNotificationFields struct {
	Enabled           *bool
	Template          *string
	Sound             *string
	BadgeCountEnabled *bool
}

// ChatServiceFields are the writable fields of a Chat service. Defaults
// carries the default role SIDs and reachability, which Conversations calls
// the service configuration; WebhookFilters is nil when not given.
type ChatServiceFields struct {
	FriendlyName              *string
	Defaults                  ServiceConfigurationFields
	ReadStatusEnabled         *bool
	TypingIndicatorTimeout    *int64
	ConsumptionReportInterval *int64
	ChannelMembersLimit       *int64
	UserChannelsLimit         *int64
	PreWebhookURL             *string
	PostWebhookURL            *string
	WebhookMethod             *string
	WebhookFilters            []string
	PreWebhookRetryCount      *int64
	PostWebhookRetryCount     *int64
	NotificationsLogEnabled   *bool
	NewMessage                ChatNotificationFields
	AddedToChannel            ChatNotificationFields
	RemovedFromChannel        ChatNotificationFields
	InvitedToChannel          ChatNotificationFields
	MediaCompatibilityMessage *string
}
