package core

import (
	"context"
	"errors"
	"slices"

	parley "github.com/parley-dev/parley"
)

// maxParticipantsPerRequest is how many participants one
// ConversationWithParticipants request may add
// (https://www.twilio.com/docs/conversations/api/conversation-with-participants-resource).
const maxParticipantsPerRequest = 10

// CreateConversationWithParticipants creates a conversation and its
// participants in one transaction: either all of them exist afterwards or,
// when any participant is refused, none of them and no conversation.
// Everything that can be checked without the store is checked first, as
// Twilio does, so a refused request costs no transaction.
func (a *App) CreateConversationWithParticipants(ctx context.Context, serviceSID string, f parley.ConversationFields, participants []parley.ParticipantFields) (*parley.Conversation, error) {
	acct, err := account(ctx)
	if err != nil {
		return nil, err
	}
	if len(participants) > maxParticipantsPerRequest {
		return nil, parley.Errorf(parley.CodeTooManyParticipants,
			"A request may add at most %d participants; add the others with the Participant resource", maxParticipantsPerRequest)
	}
	attrs, err := checkNewConversation(f)
	if err != nil {
		return nil, err
	}
	partAttrs, err := checkNewParticipants(participants)
	if err != nil {
		return nil, err
	}
	var c *parley.Conversation
	// The post-events are those of the single operations (one
	// onConversationAdded, one onParticipantAdded per participant), enqueued
	// in the same transaction, so they exist only if everything commits.
	err = a.write(ctx, func(tx parley.Tx) (err error) {
		if c, err = createConversation(tx, acct, serviceSID, f, attrs); err != nil {
			return err
		}
		if err := a.emit(ctx, tx, acct, &parley.Event{Type: parley.EventConversationAdded, ServiceSID: c.ServiceSID, Conversation: c}); err != nil {
			return err
		}
		if err := a.ensureUsersInOrder(ctx, tx, acct, c.ServiceSID, participants); err != nil {
			return err
		}
		for i, pf := range participants {
			p, err := a.addParticipant(ctx, tx, viaConversations, acct, c, pf, partAttrs[i])
			if pe := (*parley.Error)(nil); errors.As(err, &pe) && pe.Code == parley.CodeBindingPairInUse {
				// The bulk resource has its own code for a pair in use
				// (https://www.twilio.com/docs/api/errors/50425).
				err = parley.Errorf(parley.CodeBindingPairInUseBulk, "%s", pe.Message)
			}
			if err != nil {
				return inParticipant(i, err)
			}
			ev := &parley.Event{Type: parley.EventParticipantAdded, ServiceSID: c.ServiceSID, Conversation: c, Participant: p}
			if err := a.emit(ctx, tx, acct, ev); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

// ensureUsersInOrder ensures, and so locks, the Users of participants in
// identity order before any participant is added: two requests naming the
// same identities in different orders then wait for each other instead of
// deadlocking on PostgreSQL.
func (a *App) ensureUsersInOrder(ctx context.Context, tx parley.Tx, acct *parley.Account, serviceSID string, participants []parley.ParticipantFields) error {
	svc, err := tx.Service(acct.SID, serviceSID)
	if err != nil {
		return err
	}
	identities := make([]string, 0, len(participants))
	for _, pf := range participants {
		if pf.Identity != nil { // non-chat participants have no User
			identities = append(identities, *pf.Identity)
		}
	}
	slices.Sort(identities)
	for _, identity := range identities {
		if err := a.ensureUser(ctx, tx, acct, svc, identity); err != nil {
			return err
		}
	}
	return nil
}

// checkNewParticipants validates each participant of a request and refuses an
// identity listed twice (50433, as adding it twice one by one would be). It
// returns each participant's attributes.
func checkNewParticipants(participants []parley.ParticipantFields) ([]string, error) {
	attrs := make([]string, len(participants))
	seen := make(map[string]bool, len(participants))
	for i, pf := range participants {
		a, err := checkNewParticipant(pf)
		if err != nil {
			return nil, inParticipant(i, err)
		}
		attrs[i] = a
		if pf.Identity == nil {
			continue
		}
		if seen[*pf.Identity] {
			return nil, inParticipant(i, parley.Errorf(parley.CodeParticipantExists,
				"Participant with identity %s is listed more than once", *pf.Identity))
		}
		seen[*pf.Identity] = true
	}
	return attrs, nil
}

// inParticipant says which participant of the request a Twilio error is
// about, keeping its code; other errors pass unchanged.
func inParticipant(i int, err error) error {
	var pe *parley.Error
	if !errors.As(err, &pe) {
		return err
	}
	return parley.Errorf(pe.Code, "Participant %d: %s", i+1, pe.Message)
}
