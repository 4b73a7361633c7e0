package parley

import "time"

// AutoCreation is how an address configuration creates conversations for
// inbound messages.
type AutoCreation struct {
	Enabled                bool
	Type                   *string // webhook, studio or default
	ConversationServiceSID *string
	WebhookURL             *string
	WebhookMethod          *string
	WebhookFilters         []string
	StudioFlowSID          *string
	StudioRetryCount       *int64
}

// AddressConfig is an Address Configuration: what happens to inbound
// messages to one of the account's addresses.
type AddressConfig struct {
	Seq            int64
	SID            string
	AccountSID     string
	Type           string
	Address        string
	FriendlyName   *string
	AddressCountry *string
	AutoCreation   AutoCreation
	DateCreated    time.Time
	DateUpdated    time.Time
}

// AddressConfigFields are the writable fields of an address configuration.
// Type, Address and AddressCountry are read on create only.
type AddressConfigFields struct {
	Type                   *string
	Address                *string
	FriendlyName           *string
	AddressCountry         *string
	Enabled                *bool
	AutoCreationType       *string
	ConversationServiceSID *string
	WebhookURL             *string
	WebhookMethod          *string
	WebhookFilters         *[]string
	StudioFlowSID          *string
	StudioRetryCount       *int64
}

// AddressConfigTx keeps address configurations.
type AddressConfigTx interface {
	// CreateAddressConfig stores a new address configuration
	// (CodeAddressExists guards addresses per account).
	CreateAddressConfig(c *AddressConfig) error
	// AddressConfig finds an address configuration by SID or by address.
	AddressConfig(accountSID, sidOrAddress string) (*AddressConfig, error)
	// ListAddressConfigs lists the account's address configurations, of
	// one type when typ is not empty.
	ListAddressConfigs(accountSID, typ string, p PageRequest) (Page[*AddressConfig], error)
	UpdateAddressConfig(c *AddressConfig) error
	DeleteAddressConfig(accountSID, sid string) error
}
