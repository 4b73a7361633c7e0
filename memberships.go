package parley

import "time"

// Notification levels of a user's participation in a conversation.
const (
	NotificationDefault = "default"
	NotificationMuted   = "muted"
)

// Membership is one participation seen from the participant's side: the
// participant, its conversation and its per-user settings. It backs both the
// User Conversation and the Participant Conversation resources.
type Membership struct {
	Participant       *Participant
	Conversation      *Conversation
	NotificationLevel string
	// UserSID is the User behind the participant's identity; nil for
	// non-chat participants and identities without a User.
	UserSID *string
	// UnreadMessagesCount is the number of existing messages after the read
	// horizon, capped at MaxUnreadCount; nil while no horizon is set.
	UnreadMessagesCount *int64
}

// MaxUnreadCount caps unread counts, as Twilio does ("1000+").
const MaxUnreadCount = 1000

// MembershipFilter selects the participations of one chat identity or one
// messaging binding address; exactly one is set.
type MembershipFilter struct {
	Identity *string
	Address  *string
	// PrivateOnly leaves out public Chat channels (the Conversations view).
	PrivateOnly bool
	// ByConversation orders by conversation SID (Participant Conversations)
	// instead of by when the participant joined.
	ByConversation bool
}

// MembershipFields are the writable fields of a User Conversation.
// ClearLastRead sets the read horizon back to null.
type MembershipFields struct {
	NotificationLevel    *string
	LastReadMessageIndex *int64
	ClearLastRead        bool
	LastReadTimestamp    *time.Time
}

// MembershipTx reads and updates participations from the participant's side
// (User Conversations, Participant Conversations, Chat's User Channels).
type MembershipTx interface {
	// ListMemberships pages, by participant seq, the participations in a
	// service that match f. Participant, Conversation and NotificationLevel
	// are filled.
	ListMemberships(serviceSID string, f MembershipFilter, p PageRequest) (Page[*Membership], error)
	// Membership finds the participation of identity in a conversation.
	Membership(c *Conversation, identity string) (*Membership, error)
	// UpdateMembership writes the participant's notification level, read
	// horizon and date_updated.
	UpdateMembership(m *Membership) error
}
