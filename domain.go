package parley

import "time"

// Account is a tenant: every other resource belongs to exactly one account.
// It also carries the account-wide Conversations configuration
// (/v1/Configuration).
type Account struct {
	// Seq orders an owner's accounts: 0 for the owner itself, then its
	// sub-accounts in creation order.
	Seq       int64
	SID       string
	AuthToken string
	// OwnerAccountSID is the parent of a sub-account, and the account's own
	// SID for a root account.
	OwnerAccountSID            string
	Status                     string
	FriendlyName               string
	DefaultServiceSID          string
	DefaultMessagingServiceSID *string
	DefaultInactiveTimer       *string
	DefaultClosedTimer         *string
	DateCreated                time.Time
	DateUpdated                time.Time
}

// Service is a Conversation Service (the same row is a Chat Service).
type Service struct {
	Seq                               int64
	SID                               string
	AccountSID                        string
	FriendlyName                      string
	DefaultConversationCreatorRoleSID string
	DefaultConversationRoleSID        string
	DefaultChatServiceRoleSID         string
	ReachabilityEnabled               bool
	// Chat holds the Chat-only settings of the service.
	Chat        ChatSettings
	DateCreated time.Time
	DateUpdated time.Time
}

// Role types.
const (
	RoleTypeService      = "service"
	RoleTypeConversation = "conversation"
)

// Role is a named set of permissions at service or conversation scope.
type Role struct {
	Seq          int64
	SID          string
	AccountSID   string
	ServiceSID   string
	FriendlyName string
	Type         string
	Permissions  []string
	DateCreated  time.Time
	DateUpdated  time.Time
}

// Conversation states.
const (
	StateActive       = "active"
	StateInactive     = "inactive"
	StateClosed       = "closed"
	StateInitializing = "initializing"
)

// Conversation is a conversation (the same row is a Chat channel).
type Conversation struct {
	Seq                 int64
	SID                 string
	AccountSID          string
	ServiceSID          string
	MessagingServiceSID *string
	FriendlyName        *string
	UniqueName          *string
	Attributes          string
	State               string
	TimerInactive       *string
	TimerClosed         *string
	DateInactive        *time.Time
	DateClosed          *time.Time
	// LastMessageIndex is the index of the newest message ever posted, nil
	// before the first. Indexes are never reused, even after deletes.
	LastMessageIndex *int64
	// Type is ChannelPublic or ChannelPrivate; Conversations only ever sees
	// private ones.
	Type string
	// CreatedBy is the identity that created the channel ("system" for the API).
	CreatedBy *string
	// MembersCount and MessagesCount are kept by the transactions that add
	// and remove participants and messages.
	MembersCount  int64
	MessagesCount int64
	DateCreated   time.Time
	DateUpdated   time.Time
}

// MessagingBinding is how a non-chat participant is reached (SMS, WhatsApp).
type MessagingBinding struct {
	Type             string
	Address          *string
	ProxyAddress     *string
	ProjectedAddress *string
}

// Participant is a member of a conversation: a chat identity or a channel binding.
type Participant struct {
	Seq                  int64
	SID                  string
	AccountSID           string
	ServiceSID           string
	ConversationSID      string
	Identity             *string
	Attributes           string
	RoleSID              *string
	MessagingBinding     *MessagingBinding
	LastReadMessageIndex *int64
	LastReadTimestamp    *time.Time
	DateCreated          time.Time
	DateUpdated          time.Time
}

// Message is one message of a conversation.
type Message struct {
	SID             string
	AccountSID      string
	ServiceSID      string
	ConversationSID string
	Index           int64
	Author          string
	Body            *string
	Attributes      string
	ParticipantSID  *string
	MediaSID        *string
	ContentSID      *string
	Subject         *string
	// LastUpdatedBy is the identity that last edited the message (Chat).
	LastUpdatedBy *string
	// WasEdited reports whether the body changed after the message was posted.
	WasEdited   bool
	DateCreated time.Time
	DateUpdated time.Time
}

// User is a chat identity within a service.
type User struct {
	Seq          int64
	SID          string
	AccountSID   string
	ServiceSID   string
	Identity     string
	FriendlyName *string
	Attributes   string
	RoleSID      *string
	DateCreated  time.Time
	DateUpdated  time.Time
}
