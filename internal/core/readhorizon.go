package core

import (
	"context"

	parley "github.com/parley-dev/parley"
)

// SetReadHorizon is the client SDK's read-horizon write (index nil marks
// everything unread): UpdateUserConversation, except that a horizon set to
// the value it already has writes nothing and emits nothing. The SDK's
// advanceLastReadMessageIndex re-posts the current horizon when asked to
// go back, and setAllMessagesRead re-posts it when nothing new arrived;
// neither should cost a write and a roster event for every participant.
func (a *App) SetReadHorizon(ctx context.Context, serviceSID, userID, conversationID string, index *int64) (*parley.Membership, error) {
	acct, err := account(ctx)
	if err != nil {
		return nil, err
	}
	return a.updateMembership(ctx, acct, serviceSID, userID, conversationID, horizonFields(index), true)
}

// PreviewReadHorizon is the membership as SetReadHorizon would leave it,
// with its unread count, without writing: the answer to an SDK read-horizon
// write that is held back to be coalesced with the next ones.
func (a *App) PreviewReadHorizon(ctx context.Context, serviceSID, userID, conversationID string, index *int64) (*parley.Membership, error) {
	acct, err := account(ctx)
	if err != nil {
		return nil, err
	}
	f := horizonFields(index)
	if err := validateMembership(f); err != nil {
		return nil, err
	}
	if err := a.authorize(ctx, acct, serviceSID, conversationID, mayUpdateMembership(f)); err != nil {
		return nil, err
	}
	var m *parley.Membership
	err = a.store.Read(ctx, func(tx parley.Tx) (err error) {
		if m, err = a.userMembership(ctx, tx, acct, serviceSID, userID, conversationID); err != nil {
			return err
		}
		p := *m.Participant
		p.LastReadMessageIndex = index
		m.Participant = &p
		return fillUnread(tx, m)
	})
	return m, err
}

func horizonFields(index *int64) parley.MembershipFields {
	return parley.MembershipFields{LastReadMessageIndex: index, ClearLastRead: index == nil}
}

// membershipChanges reports whether f would change m.
func membershipChanges(m *parley.Membership, f parley.MembershipFields) bool {
	if f.NotificationLevel != nil && *f.NotificationLevel != m.NotificationLevel {
		return true
	}
	if f.LastReadTimestamp != nil {
		return true
	}
	current := m.Participant.LastReadMessageIndex
	switch {
	case f.ClearLastRead:
		return current != nil
	case f.LastReadMessageIndex != nil:
		return current == nil || *current != *f.LastReadMessageIndex
	}
	return false
}
