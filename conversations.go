package parley

import "time"

// Conversation states.
const (
	StateActive       = "active"
	StateInactive     = "inactive"
	StateClosed       = "closed"
	StateInitializing = "initializing"
)

// Channel types. Conversations made through /v1 are private; public channels
// exist only in Chat and never appear in Conversations.
const (
	ChannelPublic  = "public"
	ChannelPrivate = "private"
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
	// EmailAddress and EmailName are the sender of the mail its email
	// participants get: Twilio's Bindings.Email.Address and .Name.
	EmailAddress, EmailName *string
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

// ConversationFields are the writable fields of a conversation.
type ConversationFields struct {
	FriendlyName        *string
	UniqueName          *string
	Attributes          *string
	MessagingServiceSID *string
	State               *string
	TimerInactive       *string
	TimerClosed         *string
	// EmailAddress and EmailName are Bindings.Email.Address and .Name.
	EmailAddress, EmailName *string
	// Type and CreatedBy are Chat's: Conversations never sets them.
	Type        *string
	CreatedBy   *string
	DateCreated *time.Time
	DateUpdated *time.Time
}

// ConversationFilter narrows a conversation list.
type ConversationFilter struct {
	State string
	// Type keeps only conversations of that type ("" = every type).
	Type      string
	StartDate *time.Time
	EndDate   *time.Time
}

// ConversationTx keeps conversations (the same rows are Chat channels).
type ConversationTx interface {
	CreateConversation(c *Conversation) error
	// Conversation finds a conversation by SID or unique name (50353 guards
	// unique names per service).
	Conversation(serviceSID, sidOrUniqueName string) (*Conversation, error)
	ListConversations(serviceSID string, f ConversationFilter, p PageRequest) (Page[*Conversation], error)
	UpdateConversation(c *Conversation) error
	// LockConversation re-reads a conversation by SID and holds it against
	// concurrent writers until the transaction ends (PostgreSQL row lock;
	// SQLite's single writer holds it anyway), for read-modify-write
	// changes that run beside API requests, such as timer transitions.
	LockConversation(sid string) (*Conversation, error)
	// DeleteConversation removes the conversation, its participants and messages.
	DeleteConversation(serviceSID, sid string) error

	// NextMessageIndex reserves the next message index of a conversation,
	// serialising concurrent writers on the conversation row, and counts the
	// message CreateMessage then writes with it in the same transaction.
	NextMessageIndex(conversationSID string) (int64, error)
	// ReserveMessageIndex is Conversation and NextMessageIndex in one: it
	// finds the service's conversation by SID or unique name, reserves its
	// next message index and returns the conversation as updated. The
	// caller checks the conversation afterwards; a rejected one rolls the
	// reservation back with the transaction.
	ReserveMessageIndex(serviceSID, sidOrUniqueName string) (*Conversation, int64, error)
	// RaiseLastMessageIndex moves a conversation's last message index up to
	// index (never down) without counting a message: parley import writes
	// messages with the indexes they had at the source, gaps included.
	RaiseLastMessageIndex(conversationSID string, index int64) error
}
