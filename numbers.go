package parley

import "time"

// PrefixPhoneNumber starts the SID of an IncomingPhoneNumber.
const PrefixPhoneNumber = "PN"

// PhoneNumber is a number an account owns (an IncomingPhoneNumber). On
// Parley a number is provisioned at once: it exists only for the account's
// messaging services and their simulated or real channels.
type PhoneNumber struct {
	Seq          int64
	SID          string
	AccountSID   string
	PhoneNumber  string
	FriendlyName string
	DateCreated  time.Time
	DateUpdated  time.Time
}

// PhoneNumberFilter selects an account's numbers. PhoneNumber matches a part
// of the number, '*' standing for any one digit; FriendlyName matches whole.
type PhoneNumberFilter struct {
	PhoneNumber  *string
	FriendlyName *string
}

// PhoneNumberTx keeps phone numbers.
type PhoneNumberTx interface {
	// CreatePhoneNumber returns CodePhoneNumberUnavailable when any account
	// already owns the number.
	CreatePhoneNumber(n *PhoneNumber) error
	PhoneNumber(accountSID, sid string) (*PhoneNumber, error)
	ListPhoneNumbers(accountSID string, f PhoneNumberFilter, p PageRequest) (Page[*PhoneNumber], error)
	// UpdatePhoneNumber writes the friendly name and date_updated.
	UpdatePhoneNumber(n *PhoneNumber) error
	DeletePhoneNumber(accountSID, sid string) error
}
