package parley

// RegistrationTx is the part of Tx that keeps the push registrations the
// client SDKs make (ERS), stored as the service's Bindings.
type RegistrationTx interface {
	// RegisterBinding creates b, or updates the binding of the same
	// service, type and endpoint (one per device): registering again is
	// idempotent, and a device that changed users moves to the new one.
	// b's SID, Seq and DateCreated are set from the stored row.
	RegisterBinding(b *Binding) error
	// DeleteBindingByEndpoint removes an identity's binding of a type and
	// endpoint; a missing one is not an error.
	DeleteBindingByEndpoint(serviceSID, identity, bindingType, endpoint string) error
}
