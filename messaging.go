package parley

import "time"

// Twilio's errors for Messaging Services and their sender pools.
const (
	// CodeInvalidMessagingService: a conversation or the Configuration names
	// a Messaging Service the account does not have
	// (https://www.twilio.com/docs/api/errors/50341).
	CodeInvalidMessagingService = 50341
	// CodeSenderInService: the number is already in this service's pool
	// (https://www.twilio.com/docs/api/errors/21710).
	CodeSenderInService = 21710
	// CodeSenderInOtherService: a number serves one Messaging Service at a
	// time (https://twilio.com/docs/api/errors/21712).
	CodeSenderInOtherService = 21712
)

// MessagingService is an account's Messaging Service (MG…): the sender pool
// and the webhooks its channels use. Conversations reach non-chat
// participants through one.
type MessagingService struct {
	Seq               int64
	SID               string
	AccountSID        string
	FriendlyName      string
	InboundRequestURL *string
	InboundMethod     string
	FallbackURL       *string
	FallbackMethod    string
	StatusCallback    *string
	Usecase           string
	DateCreated       time.Time
	DateUpdated       time.Time
}

// MessagingServiceFields are the writable fields of a Messaging Service.
type MessagingServiceFields struct {
	FriendlyName      *string
	InboundRequestURL *string
	InboundMethod     *string
	FallbackURL       *string
	FallbackMethod    *string
	StatusCallback    *string
	Usecase           *string
}

// Sender is a phone number in a Messaging Service's pool. Its SID is the
// number's own PN SID.
type Sender struct {
	Seq         int64
	ServiceSID  string
	Number      *PhoneNumber
	DateCreated time.Time
}

// MessagingTx is the part of Tx that keeps Messaging Services and their
// sender pools.
type MessagingTx interface {
	CreateMessagingService(s *MessagingService) error
	MessagingService(accountSID, sid string) (*MessagingService, error)
	ListMessagingServices(accountSID string, p PageRequest) (Page[*MessagingService], error)
	UpdateMessagingService(s *MessagingService) error
	// DeleteMessagingService removes the service and its sender pool.
	DeleteMessagingService(accountSID, sid string) error

	// AddSender puts a number in a service's pool; CodeSenderInOtherService
	// when any service already holds it.
	AddSender(s *Sender) error
	// SenderService is the SID of the service whose pool holds the number,
	// or a not-found error.
	SenderService(phoneNumberSID string) (string, error)
	Sender(serviceSID, phoneNumberSID string) (*Sender, error)
	ListSenders(serviceSID string, p PageRequest) (Page[*Sender], error)
	RemoveSender(serviceSID, phoneNumberSID string) error
}
