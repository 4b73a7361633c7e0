package core

import (
	"context"

	parley "github.com/parley-dev/parley"
)

// CreateInvite invites an identity to a channel. A second invite of the same
// identity is Twilio's 50212; inviting a member is 50404 ("Member already
// exists"): the invite could only be accepted by joining, which the member
// already did (https://www.twilio.com/docs/api/errors/50404). The role
// defaults to the service's default channel role.
func (a *App) CreateInvite(ctx context.Context, serviceSID, channelID string, identity, roleSID *string) (*parley.Invite, error) {
	acct, err := account(ctx)
	if err != nil {
		return nil, err
	}
	if nonEmpty(identity) == nil {
		return nil, parley.Errorf(parley.CodeInvalidParameter, "Missing required parameter Identity in the post body")
	}
	if err := maxLength("Identity", identity, maxIdentityLength); err != nil {
		return nil, err
	}
	if err := sidParam("RoleSid", roleSID, parley.PrefixRole); err != nil {
		return nil, err
	}
	var inv *parley.Invite
	err = a.store.Write(ctx, func(tx parley.Tx) error {
		c, err := a.conversation(ctx, tx, acct, serviceSID, channelID)
		if err != nil {
			return err
		}
		svc, err := tx.Service(acct.SID, c.ServiceSID)
		if err != nil {
			return err
		}
		role := svc.DefaultConversationRoleSID
		if nonEmpty(roleSID) != nil {
			if err := participantRole(tx, svc.SID, *roleSID); err != nil {
				return err
			}
			role = *roleSID
		}
		switch _, err := tx.Participant(c.SID, *identity); {
		case err == nil:
			return parley.Errorf(parley.CodeMemberExists, "Member with specified Identity already exists in this Channel")
		case !parley.IsNotFound(err):
			return err
		}
		now := tx.Now()
		inv = &parley.Invite{SID: parley.NewSID(parley.PrefixInvite), AccountSID: acct.SID, ServiceSID: svc.SID,
			ChannelSID: c.SID, Identity: *identity, RoleSID: &role, CreatedBy: &apiCreator, DateCreated: now, DateUpdated: now}
		if err := tx.CreateInvite(inv); err != nil {
			return err
		}
		return a.emit(ctx, tx, acct, &parley.Event{Type: parley.EventInviteAdded, ServiceSID: c.ServiceSID, Conversation: c, Invite: inv})
	})
	return inv, err
}

// Invite fetches one invite of a channel.
func (a *App) Invite(ctx context.Context, serviceSID, channelID, sid string) (*parley.Invite, error) {
	acct, err := account(ctx)
	if err != nil {
		return nil, err
	}
	var inv *parley.Invite
	err = a.store.Read(ctx, func(tx parley.Tx) error {
		c, err := a.conversation(ctx, tx, acct, serviceSID, channelID)
		if err != nil {
			return err
		}
		inv, err = tx.Invite(c.SID, sid)
		return err
	})
	return inv, err
}

// ListInvites lists a channel's pending invites, only those of identities
// when given.
func (a *App) ListInvites(ctx context.Context, serviceSID, channelID string, identities []string, pr parley.PageRequest) (parley.Page[*parley.Invite], error) {
	acct, err := account(ctx)
	if err != nil {
		return parley.Page[*parley.Invite]{}, err
	}
	var page parley.Page[*parley.Invite]
	err = a.store.Read(ctx, func(tx parley.Tx) error {
		c, err := a.conversation(ctx, tx, acct, serviceSID, channelID)
		if err != nil {
			return err
		}
		page, err = tx.ListInvites(c.SID, identities, pr)
		return err
	})
	return page, err
}

// DeleteInvite withdraws an invite.
func (a *App) DeleteInvite(ctx context.Context, serviceSID, channelID, sid string) error {
	acct, err := account(ctx)
	if err != nil {
		return err
	}
	return a.store.Write(ctx, func(tx parley.Tx) error {
		c, err := a.conversation(ctx, tx, acct, serviceSID, channelID)
		if err != nil {
			return err
		}
		return a.removeInvite(ctx, tx, acct, c, sid)
	})
}

// removeInvite deletes one invite of c inside tx and emits its removal.
func (a *App) removeInvite(ctx context.Context, tx parley.Tx, acct *parley.Account, c *parley.Conversation, sid string) error {
	inv, err := tx.Invite(c.SID, sid)
	if err != nil {
		return err
	}
	if err := tx.DeleteInvite(c.SID, inv.SID); err != nil {
		return err
	}
	return a.emit(ctx, tx, acct, &parley.Event{Type: parley.EventInviteRemoved, ServiceSID: c.ServiceSID, Conversation: c, Invite: inv})
}
