package core

import (
	"context"

	parley "github.com/parley-dev/parley"
)

// Chat's users are the same rows as Conversations' users: these operations
// run the same rules (users.go) and add what Chat shows on top, the number
// of channels each user's identity is a member of, in the same transaction.

// chatUsers wraps users with their joined-channel counts, counted for the
// whole slice in one query.
func chatUsers(tx parley.Tx, serviceSID string, users ...*parley.User) ([]*parley.ChatUser, error) {
	identities := make([]string, len(users))
	for i, u := range users {
		identities[i] = u.Identity
	}
	counts, err := tx.JoinedChannelsCounts(serviceSID, identities)
	if err != nil {
		return nil, err
	}
	out := make([]*parley.ChatUser, len(users))
	for i, u := range users {
		out[i] = &parley.ChatUser{User: u, JoinedChannelsCount: counts[u.Identity]}
	}
	return out, nil
}

// chatUser is chatUsers for one user.
func chatUser(tx parley.Tx, u *parley.User) (*parley.ChatUser, error) {
	cus, err := chatUsers(tx, u.ServiceSID, u)
	if err != nil {
		return nil, err
	}
	return cus[0], nil
}

// CreateChatUser creates a user (CreateUser's rules and webhooks) and
// returns it as Chat shows it: an identity that already takes part in
// channels starts with those counted.
func (a *App) CreateChatUser(ctx context.Context, serviceSID string, f parley.UserFields) (*parley.ChatUser, error) {
	acct, err := account(ctx)
	if err != nil {
		return nil, err
	}
	var cu *parley.ChatUser
	_, err = a.addUser(ctx, acct, serviceSID, f, func(tx parley.Tx, u *parley.User) (err error) {
		cu, err = chatUser(tx, u)
		return err
	})
	return cu, err
}

// ChatUser fetches a user by SID or identity.
func (a *App) ChatUser(ctx context.Context, serviceSID, id string) (*parley.ChatUser, error) {
	acct, err := account(ctx)
	if err != nil {
		return nil, err
	}
	var cu *parley.ChatUser
	err = a.store.Read(ctx, func(tx parley.Tx) error {
		u, err := serviceUser(tx, acct, serviceSID, id)
		if err != nil {
			return err
		}
		cu, err = chatUser(tx, u)
		return err
	})
	return cu, err
}

// ListChatUsers lists a service's users in creation order.
func (a *App) ListChatUsers(ctx context.Context, serviceSID string, pr parley.PageRequest) (parley.Page[*parley.ChatUser], error) {
	acct, err := account(ctx)
	if err != nil {
		return parley.Page[*parley.ChatUser]{}, err
	}
	var page parley.Page[*parley.ChatUser]
	err = a.store.Read(ctx, func(tx parley.Tx) error {
		svc, err := service(tx, acct, serviceSID)
		if err != nil {
			return err
		}
		users, err := tx.ListUsers(svc.SID, pr)
		if err != nil {
			return err
		}
		page.More = users.More
		page.Items, err = chatUsers(tx, svc.SID, users.Items...)
		return err
	})
	return page, err
}

// UpdateChatUser changes a user's friendly name, attributes or role
// (UpdateUser's rules and webhooks).
func (a *App) UpdateChatUser(ctx context.Context, serviceSID, id string, f parley.UserFields) (*parley.ChatUser, error) {
	acct, err := account(ctx)
	if err != nil {
		return nil, err
	}
	var cu *parley.ChatUser
	_, err = a.changeUser(ctx, acct, serviceSID, id, f, func(tx parley.Tx, u *parley.User) (err error) {
		cu, err = chatUser(tx, u)
		return err
	})
	return cu, err
}
