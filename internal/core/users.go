package core

import (
	"context"

	parley "github.com/parley-dev/parley"
)

func validateUser(f parley.UserFields) error {
	if err := maxLength("Identity", f.Identity, maxIdentityLength); err != nil {
		return err
	}
	if err := maxLength("FriendlyName", f.FriendlyName, maxNameLength); err != nil {
		return err
	}
	return sidParam("RoleSid", f.RoleSID, parley.PrefixRole)
}

// CreateUser creates a user; its role defaults to the service's user role.
func (a *App) CreateUser(ctx context.Context, serviceSID string, f parley.UserFields) (*parley.User, error) {
	acct, err := account(ctx)
	if err != nil {
		return nil, err
	}
	return a.addUser(ctx, acct, serviceSID, f, nil)
}

// addUser is CreateUser, running also (when set) in its transaction once
// the user exists.
func (a *App) addUser(ctx context.Context, acct *parley.Account, serviceSID string, f parley.UserFields, also func(tx parley.Tx, u *parley.User) error) (*parley.User, error) {
	attrs, err := checkNewUser(f)
	if err != nil {
		return nil, err
	}
	var u *parley.User
	err = a.write(ctx, func(tx parley.Tx) (err error) {
		if u, err = createUser(tx, acct, serviceSID, f, attrs); err != nil {
			return err
		}
		if err := a.emit(ctx, tx, acct, &parley.Event{Type: parley.EventUserAdded, ServiceSID: u.ServiceSID, User: u}); err != nil {
			return err
		}
		if also != nil {
			return also(tx, u)
		}
		return nil
	})
	return u, err
}

// checkNewUser validates a create request before any transaction and
// returns the user's attributes.
func checkNewUser(f parley.UserFields) (string, error) {
	if err := validateUser(f); err != nil {
		return "", err
	}
	if f.Identity == nil || *f.Identity == "" {
		return "", parley.Errorf(parley.CodeInvalidParameter, "Missing required parameter Identity in the post body")
	}
	if parley.IsSID(*f.Identity, parley.PrefixUser) {
		return "", parley.Errorf(parley.CodeIdentityIsSID, "Identity must not look like a User SID")
	}
	return attributes(f.Attributes, maxUserAttributesBytes)
}

// createUser creates, inside tx, the user that checkNewUser accepted.
func createUser(tx parley.Tx, acct *parley.Account, serviceSID string, f parley.UserFields, attrs string) (*parley.User, error) {
	svc, err := service(tx, acct, serviceSID)
	if err != nil {
		return nil, err
	}
	role := svc.DefaultChatServiceRoleSID
	if f.RoleSID != nil && *f.RoleSID != "" {
		if err := userRole(tx, svc.SID, *f.RoleSID); err != nil {
			return nil, err
		}
		role = *f.RoleSID
	}
	now := tx.Now()
	u := &parley.User{SID: parley.NewSID(parley.PrefixUser), AccountSID: acct.SID, ServiceSID: svc.SID,
		Identity: *f.Identity, FriendlyName: f.FriendlyName, Attributes: attrs, RoleSID: &role,
		DateCreated: now, DateUpdated: now}
	return u, tx.CreateUser(u)
}

// User fetches a user by SID or identity.
func (a *App) User(ctx context.Context, serviceSID, id string) (*parley.User, error) {
	acct, err := account(ctx)
	if err != nil {
		return nil, err
	}
	var u *parley.User
	err = a.store.Read(ctx, func(tx parley.Tx) (err error) {
		u, err = serviceUser(tx, acct, serviceSID, id)
		return err
	})
	return u, err
}

// ListUsers lists a service's users in creation order.
func (a *App) ListUsers(ctx context.Context, serviceSID string, pr parley.PageRequest) (parley.Page[*parley.User], error) {
	acct, err := account(ctx)
	if err != nil {
		return parley.Page[*parley.User]{}, err
	}
	var page parley.Page[*parley.User]
	err = a.store.Read(ctx, func(tx parley.Tx) error {
		svc, err := service(tx, acct, serviceSID)
		if err != nil {
			return err
		}
		page, err = tx.ListUsers(svc.SID, pr)
		return err
	})
	return page, err
}

// UpdateUser changes a user's friendly name, attributes or role.
func (a *App) UpdateUser(ctx context.Context, serviceSID, id string, f parley.UserFields) (*parley.User, error) {
	acct, err := account(ctx)
	if err != nil {
		return nil, err
	}
	return a.changeUser(ctx, acct, serviceSID, id, f, nil)
}

// changeUser is UpdateUser, running also (when set) in its transaction
// once the user changed.
func (a *App) changeUser(ctx context.Context, acct *parley.Account, serviceSID, id string, f parley.UserFields, also func(tx parley.Tx, u *parley.User) error) (*parley.User, error) {
	if err := validateUser(f); err != nil {
		return nil, err
	}
	// Twilio documents no overridable user fields: the pre-event can only
	// reject.
	_, err := a.pre(ctx, acct, permit(serviceSID, "", mayUpdateUser(id)), func(tx parley.Tx) (*parley.Event, error) {
		u, err := serviceUser(tx, acct, serviceSID, id)
		if err != nil {
			return nil, err
		}
		u.FriendlyName = firstSet(f.FriendlyName, u.FriendlyName)
		return &parley.Event{Type: parley.EventUserUpdate, ServiceSID: u.ServiceSID, User: u}, nil
	})
	if err != nil {
		return nil, err
	}
	var u *parley.User
	err = a.write(ctx, func(tx parley.Tx) (err error) {
		var old *parley.User
		if u, old, err = updateUser(tx, acct, serviceSID, id, f); err != nil {
			return err
		}
		ev := &parley.Event{Type: parley.EventUserUpdated, ServiceSID: u.ServiceSID, User: u, Replaced: &parley.Replaced{User: old}}
		if err := a.emit(ctx, tx, acct, ev); err != nil {
			return err
		}
		if also != nil {
			return also(tx, u)
		}
		return nil
	})
	return u, err
}

// updateUser applies, inside tx, an update that validateUser accepted, and
// returns the user and what it was before.
func updateUser(tx parley.Tx, acct *parley.Account, serviceSID, id string, f parley.UserFields) (u, old *parley.User, err error) {
	svc, err := service(tx, acct, serviceSID)
	if err != nil {
		return nil, nil, err
	}
	if u, err = tx.User(svc.SID, id); err != nil {
		return nil, nil, err
	}
	was := *u
	if f.Attributes != nil {
		if u.Attributes, err = attributes(f.Attributes, maxUserAttributesBytes); err != nil {
			return nil, nil, err
		}
	}
	if f.FriendlyName != nil {
		u.FriendlyName = f.FriendlyName
	}
	if f.RoleSID != nil && *f.RoleSID != "" {
		if err := userRole(tx, svc.SID, *f.RoleSID); err != nil {
			return nil, nil, err
		}
		u.RoleSID = f.RoleSID
	}
	u.DateUpdated = tx.Now()
	return u, &was, tx.UpdateUser(u)
}

// DeleteUser deletes a user; their participations stay.
func (a *App) DeleteUser(ctx context.Context, serviceSID, id string) error {
	acct, err := account(ctx)
	if err != nil {
		return err
	}
	return a.store.Write(ctx, func(tx parley.Tx) error {
		u, err := serviceUser(tx, acct, serviceSID, id)
		if err != nil {
			return err
		}
		if err := tx.DeleteUser(u.ServiceSID, u.SID); err != nil {
			return err
		}
		return a.emit(ctx, tx, acct, &parley.Event{Type: parley.EventUserRemoved, ServiceSID: u.ServiceSID, User: u})
	})
}
