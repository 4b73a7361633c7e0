package core

import (
	"context"

	parley "github.com/parley-dev/parley"
)

// validateBindingFilter refuses binding types the spec does not know, so a
// typo is an error rather than a silently empty list.
func validateBindingFilter(f parley.BindingFilter) error {
	for _, t := range f.BindingTypes {
		switch t {
		case parley.BindingTypeAPN, parley.BindingTypeGCM, parley.BindingTypeFCM, parley.BindingTypeTwilsock:
		default:
			return parley.Errorf(parley.CodeInvalidParameter, "BindingType must be one of apn, gcm, fcm, twilsock; got %q", t)
		}
	}
	return nil
}

// ListBindings lists a service's push bindings in registration order.
func (a *App) ListBindings(ctx context.Context, serviceSID string, f parley.BindingFilter, pr parley.PageRequest) (parley.Page[*parley.Binding], error) {
	acct, err := account(ctx)
	if err != nil {
		return parley.Page[*parley.Binding]{}, err
	}
	var page parley.Page[*parley.Binding]
	if err := validateBindingFilter(f); err != nil {
		return page, err
	}
	err = a.store.Read(ctx, func(tx parley.Tx) error {
		svc, err := service(tx, acct, serviceSID)
		if err != nil {
			return err
		}
		page, err = tx.ListBindings(svc.SID, f, pr)
		return err
	})
	return page, err
}

// Binding fetches one push binding.
func (a *App) Binding(ctx context.Context, serviceSID, sid string) (*parley.Binding, error) {
	acct, err := account(ctx)
	if err != nil {
		return nil, err
	}
	var b *parley.Binding
	err = a.store.Read(ctx, func(tx parley.Tx) error {
		svc, err := service(tx, acct, serviceSID)
		if err != nil {
			return err
		}
		b, err = tx.Binding(svc.SID, sid)
		return err
	})
	return b, err
}

// DeleteBinding removes a push binding: its endpoint gets no more pushes
// until the SDK registers it again.
func (a *App) DeleteBinding(ctx context.Context, serviceSID, sid string) error {
	acct, err := account(ctx)
	if err != nil {
		return err
	}
	return a.store.Write(ctx, func(tx parley.Tx) error {
		svc, err := service(tx, acct, serviceSID)
		if err != nil {
			return err
		}
		b, err := tx.Binding(svc.SID, sid)
		if err != nil {
			return err
		}
		return a.removeBinding(ctx, tx, acct, b)
	})
}

// removeBinding deletes b inside tx and emits its removal.
func (a *App) removeBinding(ctx context.Context, tx parley.Tx, acct *parley.Account, b *parley.Binding) error {
	if err := tx.DeleteBinding(b.ServiceSID, b.SID); err != nil {
		return err
	}
	return a.emit(ctx, tx, acct, &parley.Event{Type: parley.EventBindingRemoved, ServiceSID: b.ServiceSID, Binding: b})
}
