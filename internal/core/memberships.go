package core

import (
	"context"

	parley "github.com/parley-dev/parley"
)

// userAndConversation resolves a user (SID or identity) and a conversation
// (SID or unique name) of a service.
func (a *App) userAndConversation(ctx context.Context, tx parley.Tx, acct *parley.Account, serviceSID, userID, conversationID string) (*parley.User, *parley.Conversation, error) {
	u, err := serviceUser(tx, acct, serviceSID, userID)
	if err != nil {
		return nil, nil, err
	}
	c, err := a.lookup(ctx, tx, u.ServiceSID, conversationID)
	return u, c, err
}

// userMembership resolves a user (SID or identity) and a conversation (SID or
// unique name) to the user's participation in it.
func (a *App) userMembership(ctx context.Context, tx parley.Tx, acct *parley.Account, serviceSID, userID, conversationID string) (*parley.Membership, error) {
	u, c, err := a.userAndConversation(ctx, tx, acct, serviceSID, userID, conversationID)
	if err != nil {
		return nil, err
	}
	m, err := tx.Membership(c, u.Identity)
	if err != nil {
		return nil, err
	}
	m.UserSID = &u.SID
	return m, nil
}

// fillUnread sets the membership's unread count: null without a read
// horizon, otherwise the messages that still exist after it. Indexes have
// gaps and messages can be deleted, so the count comes from the messages
// themselves; the conversation's last index only spares the query when
// nothing was posted after the horizon.
func fillUnread(tx parley.Tx, m *parley.Membership) error {
	m.UnreadMessagesCount = nil
	horizon := m.Participant.LastReadMessageIndex
	if horizon == nil {
		return nil
	}
	var n int64
	if last := m.Conversation.LastMessageIndex; last != nil && *last > *horizon {
		var err error
		if n, err = tx.CountMessagesAfter(m.Conversation.SID, *horizon, parley.MaxUnreadCount); err != nil {
			return err
		}
	}
	m.UnreadMessagesCount = &n
	return nil
}

// ListUserConversations lists the conversations a user (SID or identity)
// takes part in, in the order they joined.
func (a *App) ListUserConversations(ctx context.Context, serviceSID, userID string, pr parley.PageRequest) (parley.Page[*parley.Membership], error) {
	acct, err := account(ctx)
	if err != nil {
		return parley.Page[*parley.Membership]{}, err
	}
	var page parley.Page[*parley.Membership]
	err = a.store.Read(ctx, func(tx parley.Tx) error {
		u, err := serviceUser(tx, acct, serviceSID, userID)
		if err != nil {
			return err
		}
		if page, err = tx.ListMemberships(u.ServiceSID, parley.MembershipFilter{Identity: &u.Identity, PrivateOnly: a.privateOnly(ctx)}, pr); err != nil {
			return err
		}
		for _, m := range page.Items {
			m.UserSID = &u.SID
			if err := fillUnread(tx, m); err != nil {
				return err
			}
		}
		return nil
	})
	return page, err
}

// UserConversation fetches a user's participation in one conversation.
func (a *App) UserConversation(ctx context.Context, serviceSID, userID, conversationID string) (*parley.Membership, error) {
	acct, err := account(ctx)
	if err != nil {
		return nil, err
	}
	var m *parley.Membership
	err = a.store.Read(ctx, func(tx parley.Tx) (err error) {
		if m, err = a.userMembership(ctx, tx, acct, serviceSID, userID, conversationID); err != nil {
			return err
		}
		return fillUnread(tx, m)
	})
	return m, err
}

func validateMembership(f parley.MembershipFields) error {
	if f.NotificationLevel != nil && *f.NotificationLevel != parley.NotificationDefault && *f.NotificationLevel != parley.NotificationMuted {
		return parley.Errorf(parley.CodeInvalidParameter, "NotificationLevel must be one of default, muted")
	}
	if f.LastReadMessageIndex != nil && *f.LastReadMessageIndex < 0 {
		return parley.Errorf(parley.CodeInvalidParameter, "LastReadMessageIndex must not be negative")
	}
	return nil
}

// UpdateUserConversation changes a user's notification level or read
// horizon in one conversation. Moving the horizon (or clearing it) stamps
// last_read_timestamp with now unless the request gives one.
func (a *App) UpdateUserConversation(ctx context.Context, serviceSID, userID, conversationID string, f parley.MembershipFields) (*parley.Membership, error) {
	acct, err := account(ctx)
	if err != nil {
		return nil, err
	}
	return a.updateMembership(ctx, acct, serviceSID, userID, conversationID, f, false)
}

// updateMembership is UpdateUserConversation; with skipUnchanged, a
// request that changes nothing writes nothing and emits nothing.
func (a *App) updateMembership(ctx context.Context, acct *parley.Account, serviceSID, userID, conversationID string, f parley.MembershipFields, skipUnchanged bool) (*parley.Membership, error) {
	if err := validateMembership(f); err != nil {
		return nil, err
	}
	if err := a.authorize(ctx, acct, serviceSID, conversationID, mayUpdateMembership(f)); err != nil {
		return nil, err
	}
	var m *parley.Membership
	err := a.store.Write(ctx, func(tx parley.Tx) (err error) {
		if m, err = a.userMembership(ctx, tx, acct, serviceSID, userID, conversationID); err != nil {
			return err
		}
		if skipUnchanged && !membershipChanges(m, f) {
			return fillUnread(tx, m)
		}
		p, now := m.Participant, tx.Now()
		old := *p
		if f.NotificationLevel != nil {
			m.NotificationLevel = *f.NotificationLevel
		}
		switch {
		case f.ClearLastRead:
			p.LastReadMessageIndex, p.LastReadTimestamp = nil, &now
		case f.LastReadMessageIndex != nil:
			p.LastReadMessageIndex, p.LastReadTimestamp = f.LastReadMessageIndex, &now
		}
		if f.LastReadTimestamp != nil {
			p.LastReadTimestamp = f.LastReadTimestamp
		}
		p.DateUpdated = now
		if err := tx.UpdateMembership(m); err != nil {
			return err
		}
		// Domain-only: no webhook, but every SDK client of the user and
		// the conversation's roster see the new horizon and level.
		if err := a.emit(ctx, tx, acct, &parley.Event{Type: parley.EventMembershipUpdated, ServiceSID: m.Conversation.ServiceSID,
			Conversation: m.Conversation, Participant: p, Replaced: &parley.Replaced{Participant: &old}}); err != nil {
			return err
		}
		return fillUnread(tx, m)
	})
	return m, err
}

// LeaveConversation removes a user's participant from a conversation (the
// User Conversation DELETE, Chat's User Channel DELETE); their past
// messages stay. It is a participant removal, with its webhooks.
func (a *App) LeaveConversation(ctx context.Context, serviceSID, userID, conversationID string) error {
	acct, err := account(ctx)
	if err != nil {
		return err
	}
	var m *parley.Membership
	err = a.store.Read(ctx, func(tx parley.Tx) (err error) {
		m, err = a.userMembership(ctx, tx, acct, serviceSID, userID, conversationID)
		return err
	})
	if err != nil {
		return err
	}
	return a.RemoveParticipant(ctx, m.Conversation.ServiceSID, m.Conversation.SID, m.Participant.SID)
}

// ListParticipantConversations lists every conversation of a service that a
// chat identity, or a messaging binding address, takes part in. Exactly one
// of the two is required.
func (a *App) ListParticipantConversations(ctx context.Context, serviceSID string, f parley.MembershipFilter, pr parley.PageRequest) (parley.Page[*parley.Membership], error) {
	acct, err := account(ctx)
	if err != nil {
		return parley.Page[*parley.Membership]{}, err
	}
	var page parley.Page[*parley.Membership]
	f.Identity, f.Address, f.PrivateOnly = nonEmpty(f.Identity), nonEmpty(f.Address), a.privateOnly(ctx)
	// "sorted by conversation SID"
	// (https://www.twilio.com/docs/conversations/api/participant-conversation-resource)
	f.ByConversation = true
	if (f.Identity == nil) == (f.Address == nil) {
		return page, parley.Errorf(parley.CodeInvalidParameter, "Exactly one of Identity or Address is required")
	}
	err = a.store.Read(ctx, func(tx parley.Tx) error {
		svc, err := service(tx, acct, serviceSID)
		if err != nil {
			return err
		}
		if page, err = tx.ListMemberships(svc.SID, f, pr); err != nil {
			return err
		}
		return attachUsers(tx, svc.SID, page.Items)
	})
	return page, err
}

// attachUsers fills the User SID of each membership whose participant has an
// identity backed by a User, looking each identity up once.
func attachUsers(tx parley.Tx, serviceSID string, ms []*parley.Membership) error {
	users := map[string]*string{}
	for _, m := range ms {
		identity := m.Participant.Identity
		if identity == nil {
			continue
		}
		sid, seen := users[*identity]
		if !seen {
			u, err := tx.User(serviceSID, *identity)
			switch {
			case err == nil:
				sid = &u.SID
			case !parley.IsNotFound(err):
				return err
			}
			users[*identity] = sid
		}
		m.UserSID = sid
	}
	return nil
}
