package core

import (
	"context"

	parley "github.com/parley-dev/parley"
)

// A user's bindings are the service's bindings of the user's identity
// (Chat's /Users/{UserSid}/Bindings): the same rows, narrowed.

// serviceUser resolves a service and a user (SID or identity) in it.
func serviceUser(tx parley.Tx, acct *parley.Account, serviceSID, userID string) (*parley.User, error) {
	svc, err := service(tx, acct, serviceSID)
	if err != nil {
		return nil, err
	}
	return tx.User(svc.SID, userID)
}

// userBinding finds a binding of a user (SID or identity); a binding of
// another identity is not found, as if it were not there.
func userBinding(tx parley.Tx, acct *parley.Account, serviceSID, userID, sid string) (*parley.User, *parley.Binding, error) {
	u, err := serviceUser(tx, acct, serviceSID, userID)
	if err != nil {
		return nil, nil, err
	}
	b, err := tx.Binding(u.ServiceSID, sid)
	if err != nil {
		return nil, nil, err
	}
	if b.Identity != u.Identity {
		return nil, nil, parley.NotFound("Binding", sid)
	}
	return u, b, nil
}

// ListUserBindings lists the push bindings of a user's identity in
// registration order, and returns the user; f.Identities is ignored.
func (a *App) ListUserBindings(ctx context.Context, serviceSID, userID string, f parley.BindingFilter, pr parley.PageRequest) (*parley.User, parley.Page[*parley.Binding], error) {
	acct, err := account(ctx)
	if err != nil {
		return nil, parley.Page[*parley.Binding]{}, err
	}
	var page parley.Page[*parley.Binding]
	if err := validateBindingFilter(f); err != nil {
		return nil, page, err
	}
	var u *parley.User
	err = a.store.Read(ctx, func(tx parley.Tx) (err error) {
		if u, err = serviceUser(tx, acct, serviceSID, userID); err != nil {
			return err
		}
		f.Identities = []string{u.Identity}
		page, err = tx.ListBindings(u.ServiceSID, f, pr)
		return err
	})
	return u, page, err
}

// UserBinding fetches one push binding of a user, and the user.
func (a *App) UserBinding(ctx context.Context, serviceSID, userID, sid string) (*parley.User, *parley.Binding, error) {
	acct, err := account(ctx)
	if err != nil {
		return nil, nil, err
	}
	var u *parley.User
	var b *parley.Binding
	err = a.store.Read(ctx, func(tx parley.Tx) (err error) {
		u, b, err = userBinding(tx, acct, serviceSID, userID, sid)
		return err
	})
	return u, b, err
}

// DeleteUserBinding removes one push binding of a user.
func (a *App) DeleteUserBinding(ctx context.Context, serviceSID, userID, sid string) error {
	acct, err := account(ctx)
	if err != nil {
		return err
	}
	return a.store.Write(ctx, func(tx parley.Tx) error {
		_, b, err := userBinding(tx, acct, serviceSID, userID, sid)
		if err != nil {
			return err
		}
		return a.removeBinding(ctx, tx, acct, b)
	})
}
