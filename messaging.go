package parley

import "time"

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

// MessagingServiceTx keeps Messaging Services and their sender pools.
type MessagingServiceTx interface {
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
