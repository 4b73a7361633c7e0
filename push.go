package parley

import (
	"context"
	"time"
)

// Push notification kinds, as the service's Notifications configuration
// names them and as bindings list them in message_types.
const (
	PushNewMessage              = "new_message"
	PushAddedToConversation     = "added_to_conversation"
	PushRemovedFromConversation = "removed_from_conversation"
	// PushInvitedToChannel is Chat's alone: invites exist only there.
	PushInvitedToChannel = "invited_to_channel"
)

// Push is one notification for one device: what a PushTransport sends.
type Push struct {
	// Key names the delivery (message or event + binding): a transport
	// that could be asked twice uses it to send once.
	Key         string
	AccountSID  string
	BindingSID  string
	BindingType string // BindingTypeAPN, BindingTypeFCM or BindingTypeGCM
	Endpoint    string // the device token
	// Credential is the binding's push credential, nil when it has none;
	// Secrets are its opened write-only values.
	Credential *Credential
	Secrets    CredentialSecrets
	// MessageType is the payload's twi_message_type, e.g.
	// "twilio.conversations.new_message".
	MessageType string
	Title       string
	Body        string // the rendered template
	Sound       *string
	Badge       *int
	// Data are the payload's other fields: conversation_sid,
	// conversation_title, message_sid, message_index, author, media_count…
	Data map[string]string
}

// PushResult is what became of one push.
type PushResult struct {
	// Transport names what carried it: fcm, apns or simulator.
	Transport string
	// Status is the push service's HTTP status, 0 when none answered.
	Status int
	// Invalid means the service says the device token is gone for good
	// (FCM UNREGISTERED, APNs 410 Unregistered or 400 BadDeviceToken): the
	// binding is removed.
	Invalid bool
	// Retry means the service asked to try again later (throttled, 5xx),
	// after RetryAfter when it said.
	Retry      bool
	RetryAfter time.Duration
	// Detail is the service's reason, for the inspector.
	Detail string
	// Request is the body sent, for the inspector.
	Request []byte
}

// PushTransport sends pushes through one push service. Send returns an error
// only when the service could not be reached; an answer, even a refusal, is
// a PushResult.
type PushTransport interface {
	Send(ctx context.Context, p *Push) (PushResult, error)
}

// PushDelivery is one push as the inspector (GET /parley/v1/PushDeliveries)
// reports it; its retries update the same record.
type PushDelivery struct {
	AccountSID  string    `json:"-"`
	Key         string    `json:"key"`
	Kind        string    `json:"kind"` // new_message, added_to_conversation, …
	BindingSID  string    `json:"binding_sid"`
	BindingType string    `json:"binding_type"`
	Identity    string    `json:"identity"`
	Endpoint    string    `json:"endpoint"`
	Transport   string    `json:"transport"`
	Attempts    int       `json:"attempts"`
	Status      *int      `json:"last_status"`
	Outcome     string    `json:"outcome"` // sent, retrying, invalid_token, failed
	Detail      *string   `json:"detail"`
	Title       string    `json:"title"`
	Body        string    `json:"body"`
	Request     *string   `json:"request"` // the body sent to the push service
	Date        time.Time `json:"date"`
}

// PushDeliveryTx keeps the push inspector's records.
type PushDeliveryTx interface {
	// SavePushDelivery adds d, or updates the record of the same account
	// and key, and trims the account to its keep newest records.
	SavePushDelivery(d *PushDelivery, keep int) error
	// RecentPushDeliveries lists an account's newest records, newest first.
	RecentPushDeliveries(accountSID string, limit int) ([]PushDelivery, error)
}
