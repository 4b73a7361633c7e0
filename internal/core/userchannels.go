package core

import (
	"context"

	parley "github.com/parley-dev/parley"
)

// Chat's User Channels are a user's channels: the ones joined (the same
// memberships Conversations shows as User Conversations) and the ones the
// user is invited to, status "invited", with no member, horizon or unread
// count (https://www.twilio.com/docs/chat/rest/user-channel-resource).

// invitedKeys offsets the paging keys of invites past every participant seq:
// a user's channels page through the joined ones, then the invited ones,
// under one keyset.
const invitedKeys int64 = 1 << 53

func joinedChannel(u *parley.User, m *parley.Membership) *parley.UserChannel {
	m.UserSID = &u.SID
	return &parley.UserChannel{UserSID: u.SID, Membership: m, Key: m.Participant.Seq}
}

func invitedChannel(u *parley.User, inv *parley.Invite) *parley.UserChannel {
	return &parley.UserChannel{UserSID: u.SID, Invite: inv, Key: invitedKeys + inv.Seq}
}

// ListUserChannels lists a user's (SID or identity) channels: those joined,
// in the order joined, then those invited to, in the order invited.
func (a *App) ListUserChannels(ctx context.Context, serviceSID, userID string, pr parley.PageRequest) (parley.Page[*parley.UserChannel], error) {
	acct, err := account(ctx)
	if err != nil {
		return parley.Page[*parley.UserChannel]{}, err
	}
	var page parley.Page[*parley.UserChannel]
	err = a.store.Read(ctx, func(tx parley.Tx) error {
		u, err := serviceUser(tx, acct, serviceSID, userID)
		if err != nil {
			return err
		}
		page, err = a.userChannels(ctx, tx, u.ServiceSID, u, pr)
		return err
	})
	return page, err
}

// userChannels reads one page of a user's channels. A page that starts among
// the joined channels and ends past them continues with the first invites;
// read backwards, one that starts among the invites continues with the last
// joined channels.
func (a *App) userChannels(ctx context.Context, tx parley.Tx, serviceSID string, u *parley.User, pr parley.PageRequest) (parley.Page[*parley.UserChannel], error) {
	var page parley.Page[*parley.UserChannel]
	joined := func(p parley.PageRequest) (bool, error) {
		ms, err := tx.ListMemberships(serviceSID, parley.MembershipFilter{Identity: &u.Identity, PrivateOnly: a.privateOnly(ctx)}, p)
		if err != nil {
			return false, err
		}
		for _, m := range ms.Items {
			if err := fillUnread(tx, m); err != nil {
				return false, err
			}
			page.Items = append(page.Items, joinedChannel(u, m))
		}
		return ms.More, nil
	}
	invited := func(p parley.PageRequest) (bool, error) {
		invs, err := tx.ListUserInvites(serviceSID, u.Identity, p)
		for _, inv := range invs.Items {
			page.Items = append(page.Items, invitedChannel(u, inv))
		}
		return invs.More, err
	}
	var err error
	switch {
	case pr.Before != nil && *pr.Before <= invitedKeys:
		page.More, err = joined(pr)
	case pr.Before != nil:
		// Invites first (they end the page), then joined channels before them.
		if page.More, err = invited(parley.PageRequest{Size: pr.Size, Before: ptrTo(*pr.Before - invitedKeys)}); err != nil || page.More {
			return page, err
		}
		invs := page.Items
		page.Items = nil
		page.More, err = joined(parley.PageRequest{Size: pr.Size - len(invs), Before: ptrTo(invitedKeys)})
		page.Items = append(page.Items, invs...)
	case pr.After != nil && *pr.After >= invitedKeys:
		page.More, err = invited(parley.PageRequest{Size: pr.Size, After: ptrTo(*pr.After - invitedKeys)})
	default:
		if page.More, err = joined(pr); err != nil || page.More {
			return page, err
		}
		page.More, err = invited(parley.PageRequest{Size: pr.Size - len(page.Items)})
	}
	return page, err
}

// userChannel resolves a user (SID or identity) and a channel (SID or unique
// name) to the user's standing in it, without the unread count.
func (a *App) userChannel(ctx context.Context, tx parley.Tx, acct *parley.Account, serviceSID, userID, channelID string) (*parley.UserChannel, error) {
	u, c, err := a.userAndConversation(ctx, tx, acct, serviceSID, userID, channelID)
	if err != nil {
		return nil, err
	}
	m, notMember := tx.Membership(c, u.Identity)
	switch {
	case notMember == nil:
		return joinedChannel(u, m), nil
	case !parley.IsNotFound(notMember):
		return nil, notMember
	}
	invs, err := tx.ListInvites(c.SID, []string{u.Identity}, parley.PageRequest{Size: 1})
	switch {
	case err != nil:
		return nil, err
	case len(invs.Items) == 0:
		return nil, notMember
	}
	return invitedChannel(u, invs.Items[0]), nil
}

// UserChannel fetches a user's standing in one channel: joined or invited.
func (a *App) UserChannel(ctx context.Context, serviceSID, userID, channelID string) (*parley.UserChannel, error) {
	acct, err := account(ctx)
	if err != nil {
		return nil, err
	}
	var uc *parley.UserChannel
	err = a.store.Read(ctx, func(tx parley.Tx) error {
		var err error
		if uc, err = a.userChannel(ctx, tx, acct, serviceSID, userID, channelID); err != nil || uc.Membership == nil {
			return err
		}
		return fillUnread(tx, uc.Membership)
	})
	return uc, err
}

// UpdateUserChannel changes a joined user's notification level or
// consumption horizon (UpdateUserConversation's rules). An invited user has
// no member to change: Twilio's 50400, "User not member of channel".
func (a *App) UpdateUserChannel(ctx context.Context, serviceSID, userID, channelID string, f parley.MembershipFields) (*parley.UserChannel, error) {
	m, err := a.UpdateUserConversation(ctx, serviceSID, userID, channelID, f)
	if err == nil {
		return &parley.UserChannel{UserSID: *m.UserSID, Membership: m, Key: m.Participant.Seq}, nil
	}
	if !parley.IsNotFound(err) {
		return nil, err
	}
	if uc, ferr := a.UserChannel(ctx, serviceSID, userID, channelID); ferr == nil && uc.Invite != nil {
		return nil, parley.Errorf(parley.CodeNotMember, "User %s is invited to channel %s but not a member of it",
			uc.UserSID, uc.Invite.ChannelSID)
	}
	return nil, err
}

// LeaveUserChannel removes a user from a channel (the User Channel DELETE):
// a member leaves it (LeaveConversation), an invited user declines the
// invite.
func (a *App) LeaveUserChannel(ctx context.Context, serviceSID, userID, channelID string) error {
	acct, err := account(ctx)
	if err != nil {
		return err
	}
	uc, err := a.UserChannel(ctx, serviceSID, userID, channelID)
	if err != nil {
		return err
	}
	if uc.Invite == nil {
		return a.LeaveConversation(ctx, serviceSID, userID, channelID)
	}
	return a.store.Write(ctx, func(tx parley.Tx) error {
		c, err := a.conversation(ctx, tx, acct, serviceSID, uc.Invite.ChannelSID)
		if err != nil {
			return err
		}
		return a.removeInvite(ctx, tx, acct, c, uc.Invite.SID)
	})
}
