package parley

import "time"

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
	// Media is the media the message carries (MediaSID is the first).
	Media      []MessageMedia
	ContentSID *string
	// ContentVariables fill the content template's placeholders (a JSON
	// object); kept for channel deliveries, not rendered.
	ContentVariables *string
	Subject          *string
	// LastUpdatedBy is the identity that last edited the message (Chat).
	LastUpdatedBy *string
	// WasEdited reports whether the body changed after the message was posted.
	WasEdited   bool
	DateCreated time.Time
	DateUpdated time.Time
}

// MessageFields are the writable fields of a message.
type MessageFields struct {
	Author     *string
	Body       *string
	Attributes *string
	MediaSID   *string
	// MediaSIDs is the client SDK's media_sids: several files on one message.
	MediaSIDs        []string
	ContentSID       *string
	ContentVariables *string
	Subject          *string
	// LastUpdatedBy is Chat's editor identity.
	LastUpdatedBy *string
	DateCreated   *time.Time
	DateUpdated   *time.Time
}

// MessageTx keeps messages.
type MessageTx interface {
	// CreateMessage writes m. A nil ParticipantSID is set to the participant
	// whose identity is m.Author, if there is one.
	CreateMessage(m *Message) error
	Message(conversationSID, sid string) (*Message, error)
	// ListMessages pages by message index.
	ListMessages(conversationSID string, p PageRequest) (Page[*Message], error)
	UpdateMessage(m *Message) error
	DeleteMessage(conversationSID, sid string) error
	// CountMessagesAfter counts the existing messages of a conversation whose
	// index is greater than index, stopping at limit.
	CountMessagesAfter(conversationSID string, index int64, limit int) (int64, error)
}
