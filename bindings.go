package parley

import "time"

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

// BindingTx keeps push bindings.
type BindingTx interface {
	CreateBinding(b *Binding) error
	Binding(serviceSID, sid string) (*Binding, error)
	// ListBindings pages a service's bindings in creation order.
	ListBindings(serviceSID string, f BindingFilter, p PageRequest) (Page[*Binding], error)
	DeleteBinding(serviceSID, sid string) error
}
