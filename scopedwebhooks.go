package parley

import "time"

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

// ScopedWebhookTx keeps conversation-scoped webhooks.
type ScopedWebhookTx interface {
	CreateScopedWebhook(w *ScopedWebhook) error
	ScopedWebhook(conversationSID, sid string) (*ScopedWebhook, error)
	ListScopedWebhooks(conversationSID string, p PageRequest) (Page[*ScopedWebhook], error)
	// CountScopedWebhooks counts a conversation's webhooks, serialising
	// concurrent creators on the conversation row so a limit holds.
	CountScopedWebhooks(conversationSID string) (int, error)
	UpdateScopedWebhook(w *ScopedWebhook) error
	DeleteScopedWebhook(conversationSID, sid string) error
}
