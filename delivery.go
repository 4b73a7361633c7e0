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

// Delivery aggregate levels: whether all, some or none of a message's
// receipts reached a status.
const (
	DeliveryAll  = "all"
	DeliverySome = "some"
	DeliveryNone = "none"
)

// DeliverySummary is a message's delivery aggregate, Twilio's `delivery`
// field: Total receipts (one per non-chat recipient) and, per status,
// whether all, some or none of them reached it.
type DeliverySummary struct {
	Total       int
	Sent        string
	Delivered   string
	Read        string
	Failed      string
	Undelivered string
}

// SummarizeDelivery aggregates the latest statuses of a message's receipts;
// nil when there are none (a chat-only conversation), which renders as null.
// Only the latest status is kept, so statuses count cumulatively: a read
// message was also delivered and sent.
func SummarizeDelivery(statuses []string) *DeliverySummary {
	if len(statuses) == 0 {
		return nil
	}
	var sent, delivered, read, failed, undelivered int
	for _, s := range statuses {
		switch s {
		case DeliveryRead:
			read++
			fallthrough
		case DeliveryDelivered:
			delivered++
			fallthrough
		case DeliverySent:
			sent++
		case DeliveryFailed:
			failed++
		case DeliveryUndelivered:
			undelivered++
		}
	}
	total := len(statuses)
	level := func(n int) string {
		switch n {
		case 0:
			return DeliveryNone
		case total:
			return DeliveryAll
		}
		return DeliverySome
	}
	return &DeliverySummary{Total: total, Sent: level(sent), Delivered: level(delivered), Read: level(read),
		Failed: level(failed), Undelivered: level(undelivered)}
}
