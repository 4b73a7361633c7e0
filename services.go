package parley

import "time"

// Service is a Conversation Service (the same row is a Chat Service).
type Service struct {
	Seq                               int64
	SID                               string
	AccountSID                        string
	FriendlyName                      string
	DefaultConversationCreatorRoleSID string
	DefaultConversationRoleSID        string
	DefaultChatServiceRoleSID         string
	ReachabilityEnabled               bool
	// Chat holds the Chat-only settings of the service.
	Chat        ChatSettings
	DateCreated time.Time
	DateUpdated time.Time
}

// ServiceConfigurationFields are the writable fields of a service's
// configuration (/v1/Services/{IS}/Configuration).
type ServiceConfigurationFields struct {
	DefaultConversationCreatorRoleSID *string
	DefaultConversationRoleSID        *string
	DefaultChatServiceRoleSID         *string
	ReachabilityEnabled               *bool
}

// ServiceTx keeps Conversation Services (the same rows are Chat Services).
type ServiceTx interface {
	CreateService(s *Service) error
	Service(accountSID, sid string) (*Service, error)
	ListServices(accountSID string, p PageRequest) (Page[*Service], error)
	// DeleteService removes the service and everything in it.
	DeleteService(accountSID, sid string) error

	// UpdateServiceConfiguration writes a service's default role SIDs and
	// reachability flag.
	UpdateServiceConfiguration(s *Service) error
	// UpdateService writes a service's name, default roles, reachability
	// and Chat settings.
	UpdateService(s *Service) error
}
