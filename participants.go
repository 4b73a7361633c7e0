package parley

import "time"

// Non-chat participants: the channels a MessagingBinding reaches.
const (
	BindingSMS      = "sms"
	BindingWhatsApp = "whatsapp"
	// BindingEmail participants have an email address and no proxy
	// address: mail to them comes from their conversation's email sender
	// (Conversation.EmailAddress).
	BindingEmail = "email"
	// WhatsAppPrefix starts a WhatsApp address: "whatsapp:+15017122661".
	WhatsAppPrefix = "whatsapp:"
)

// MaxChannelParticipants is Twilio's limit of non-chat participants in one
// conversation.
const MaxChannelParticipants = 50

// MaxGroupParticipants is how many members (phones and projected
// addresses) a group MMS conversation may have
// (https://www.twilio.com/docs/conversations/group-texting).
const MaxGroupParticipants = 10

// MessagingBinding is how a non-chat participant is reached (SMS, WhatsApp,
// email). A group MMS member has no ProxyAddress: a phone has only Address,
// and a chat participant (or, without Identity, a bare number) only
// ProjectedAddress, the service number it is seen as by the phones.
type MessagingBinding struct {
	Type             string
	Address          *string
	ProxyAddress     *string
	ProjectedAddress *string
}

// GroupAddress is the address b makes its participant a group MMS member
// with: the phone's Address when it has no ProxyAddress, else the
// ProjectedAddress; "" for a one-to-one binding (or none).
func (b *MessagingBinding) GroupAddress() string {
	switch {
	case b == nil:
		return ""
	case b.ProjectedAddress != nil:
		return *b.ProjectedAddress
	case b.Address != nil && b.ProxyAddress == nil:
		return *b.Address
	}
	return ""
}

// IsGroupPhone reports whether b is a phone in a group MMS conversation.
func (b *MessagingBinding) IsGroupPhone() bool {
	return b != nil && b.Address != nil && b.ProxyAddress == nil
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

// ParticipantTx keeps participants (the same rows are Chat members).
type ParticipantTx interface {
	// CreateParticipant adds p (50433 when its identity is taken; 20404 when
	// its conversation is gone).
	CreateParticipant(p *Participant) error
	// Participant finds a participant by SID or identity (50433 guards
	// identities per conversation).
	Participant(conversationSID, sidOrIdentity string) (*Participant, error)
	ListParticipants(conversationSID string, p PageRequest) (Page[*Participant], error)
	UpdateParticipant(p *Participant) error
	DeleteParticipant(conversationSID, sid string) error

	// ListMembers pages a conversation's participants, only those of
	// identities when given.
	ListMembers(conversationSID string, identities []string, p PageRequest) (Page[*Participant], error)
	// CountChannelParticipants counts a conversation's non-chat participants.
	CountChannelParticipants(conversationSID string) (int64, error)
}
