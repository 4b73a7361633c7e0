package parley

import "time"

// SID prefixes of push bindings and delivery receipts.
const (
	PrefixBinding         = "BS"
	PrefixDeliveryReceipt = "DY"
)

// Push binding types: the push technology a Binding registers for. twilsock
// appears in the spec's enum for bindings the client transport keeps.
const (
	BindingTypeAPN      = "apn"
	BindingTypeGCM      = "gcm"
	BindingTypeFCM      = "fcm"
	BindingTypeTwilsock = "twilsock"
)

// Binding is a push registration: one SDK endpoint (a device) of a user
// identity, registered for push notifications of some message types.
type Binding struct {
	Seq           int64
	SID           string
	AccountSID    string
	ServiceSID    string
	CredentialSID *string
	Endpoint      string
	Identity      string
	BindingType   string
	MessageTypes  []string
	DateCreated   time.Time
	DateUpdated   time.Time
}

// BindingFilter narrows a binding list: a binding matches when its type is
// one of BindingTypes and its identity one of Identities (an empty slice
// matches everything).
type BindingFilter struct {
	BindingTypes []string
	Identities   []string
}

// Delivery receipt statuses, in the order a channel usually reports them;
// failed and undelivered are final failures.
const (
	DeliverySent        = "sent"
	DeliveryDelivered   = "delivered"
	DeliveryRead        = "read"
	DeliveryFailed      = "failed"
	DeliveryUndelivered = "undelivered"
)

// DeliveryReceipt is the latest delivery status of one message to one
// non-chat participant (https://www.twilio.com/docs/conversations/delivery-receipts):
// a later status overwrites the earlier one.
type DeliveryReceipt struct {
	Seq               int64
	SID               string
	AccountSID        string
	ServiceSID        string
	ConversationSID   string
	MessageSID        string
	ParticipantSID    string
	ChannelMessageSID *string
	Status            string
	// ErrorCode is the channel's error for failed and undelivered, else 0.
	ErrorCode   int
	DateCreated time.Time
	DateUpdated time.Time
}

// CodeTooManyParticipants refuses a ConversationWithParticipants request
// with more participants than one request may add
// (https://www.twilio.com/docs/api/errors/50426).
const CodeTooManyParticipants = 50426
