package parley

import (
	"context"
	"time"
)

// Store keeps Parley's state. Every operation runs in one transaction: Write
// commits when fn returns nil and rolls back otherwise; Read sees a consistent
// snapshot. Implementations retry transient conflicts themselves, so fn may
// run more than once and must not have side effects outside tx.
type Store interface {
	Write(ctx context.Context, fn func(Tx) error) error
	Read(ctx context.Context, fn func(Tx) error) error
	// Engine names the database engine ("sqlite" or "postgres").
	Engine() string
	Close() error
}

// Page is one page of a keyset-ordered list. More reports whether at least one
// further item exists in the direction the page was read.
type Page[T any] struct {
	Items []T
	More  bool
}

// Tx is one transaction. Lookups return a CodeNotFound *Error when the row
// does not exist; writes return the Twilio error a violated rule maps to.
type Tx interface {
	AccountTx
	APIKeyTx
	ServiceTx
	RoleTx
	ConversationTx
	ParticipantTx
	MessageTx
	UserTx
	ChatUserTx
	MembershipTx
	InviteTx
	WebhookTx
	ScopedWebhookTx
	NotificationTx
	CredentialTx
	AddressConfigTx
	BindingTx
	ReceiptTx
	PhoneNumberTx
	MessagingServiceTx
	JobsTx
	ClockTx
	MessageWriteTx
	MediaTx
	RegistrationTx
	EventLogTx
	PresenceTx
	ChannelTx
	PushDeliveryTx

	// Now is the transaction's clock reading, taken once per transaction.
	Now() time.Time
}
