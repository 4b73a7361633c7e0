package core

import (
	"context"

	parley "github.com/parley-dev/parley"
)

// Registration is a client SDK's push registration (ERS): the device's
// push address on a channel (apn, fcm, gcm) and the message types it
// wants pushed.
type Registration struct {
	BindingType  string
	Address      string
	MessageTypes []string
}

// maxPushAddressLength bounds a device token (Parley's own bound; FCM
// tokens are ~160 characters).
const maxPushAddressLength = 4096

// Register stores an SDK user's push registration as a Binding of its
// service, keyed by the device address: registering the same device again
// updates that binding, so a client may repeat it freely.
func (a *App) Register(ctx context.Context, c *parley.Caller, reg Registration) (*parley.Binding, error) {
	switch reg.BindingType {
	case parley.BindingTypeAPN, parley.BindingTypeGCM, parley.BindingTypeFCM:
	default:
		return nil, parley.Errorf(parley.CodeInvalidParameter, "channel_type must be apn, fcm or gcm; got %q", reg.BindingType)
	}
	if reg.Address == "" || len(reg.Address) > maxPushAddressLength {
		return nil, parley.Errorf(parley.CodeInvalidParameter, "data.registration_id must hold the device's push address")
	}
	b := &parley.Binding{SID: parley.NewSID(parley.PrefixBinding), AccountSID: c.Account.SID, ServiceSID: c.ServiceSID,
		Endpoint: reg.Address, Identity: c.Identity, BindingType: reg.BindingType, MessageTypes: reg.MessageTypes,
		CredentialSID: nonEmpty(&c.PushCredentialSID)}
	err := a.write(ctx, func(tx parley.Tx) error {
		b.DateCreated, b.DateUpdated = tx.Now(), tx.Now()
		return a.pushChange(ctx, tx, c, func() error {
			if err := tx.RegisterBinding(b); err != nil {
				return err
			}
			return a.emit(ctx, tx, c.Account, &parley.Event{Type: parley.EventBindingAdded, ServiceSID: b.ServiceSID, Binding: b})
		})
	})
	return b, err
}

// Unregister removes an SDK user's push registration, by binding SID or
// by type and address. Another user's binding is not found.
func (a *App) Unregister(ctx context.Context, c *parley.Caller, sid, bindingType, address string) error {
	return a.write(ctx, func(tx parley.Tx) error {
		return a.pushChange(ctx, tx, c, func() error {
			if sid == "" {
				if err := tx.DeleteBindingByEndpoint(c.ServiceSID, c.Identity, bindingType, address); err != nil {
					return err
				}
				b := &parley.Binding{AccountSID: c.Account.SID, ServiceSID: c.ServiceSID, Identity: c.Identity, BindingType: bindingType, Endpoint: address}
				return a.emit(ctx, tx, c.Account, &parley.Event{Type: parley.EventBindingRemoved, ServiceSID: c.ServiceSID, Binding: b})
			}
			b, err := tx.Binding(c.ServiceSID, sid)
			if err != nil {
				return err
			}
			if b.Identity != c.Identity {
				return parley.NotFound("Binding", sid)
			}
			return a.removeBinding(ctx, tx, c.Account, b)
		})
	})
}
