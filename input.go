package parley

import "time"

// The *Fields structs carry what a create or update request supplied: a nil
// pointer means "not given", so an update changes only what was sent.

// ConversationFields are the writable fields of a conversation.
type ConversationFields struct {
	FriendlyName        *string
	UniqueName          *string
	Attributes          *string
	MessagingServiceSID *string
	State               *string
	TimerInactive       *string
	TimerClosed         *string
	// Type and CreatedBy are Chat's: Conversations never sets them.
	Type        *string
	CreatedBy   *string
	DateCreated *time.Time
	DateUpdated *time.Time
}

// ParticipantFields are the writable fields of a participant.
type ParticipantFields struct {
	Identity             *string
	Attributes           *string
	RoleSID              *string
	Address              *string
	ProxyAddress         *string
	ProjectedAddress     *string
	LastReadMessageIndex *int64
	LastReadTimestamp    *time.Time
	DateCreated          *time.Time
	DateUpdated          *time.Time
}

// MessageFields are the writable fields of a message.
type MessageFields struct {
	Author     *string
	Body       *string
	Attributes *string
	MediaSID   *string
	ContentSID *string
	Subject    *string
	// LastUpdatedBy is Chat's editor identity.
	LastUpdatedBy *string
	DateCreated   *time.Time
	DateUpdated   *time.Time
}

// UserFields are the writable fields of a user.
type UserFields struct {
	Identity     *string
	FriendlyName *string
	Attributes   *string
	RoleSID      *string
}

// ConfigurationFields are the writable fields of the account configuration.
type ConfigurationFields struct {
	DefaultServiceSID          *string
	DefaultMessagingServiceSID *string
	DefaultInactiveTimer       *string
	DefaultClosedTimer         *string
}

// ConversationFilter narrows a conversation list.
type ConversationFilter struct {
	State string
	// Type keeps only conversations of that type ("" = every type).
	Type      string
	StartDate *time.Time
	EndDate   *time.Time
}

// PageRequest asks for one page of a keyset-ordered list. After and Before
// are keys (Seq, or Index for messages) taken from a previous page; at most
// one is set. Desc reverses the list's natural order.
type PageRequest struct {
	Size   int
	After  *int64
	Before *int64
	Desc   bool
}
