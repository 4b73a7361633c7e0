package core

import (
	"context"
	"encoding/json"

	parley "github.com/parley-dev/parley"
)

func validateMessage(f parley.MessageFields) error {
	if f.Body != nil && len(*f.Body) > maxMessageBodyBytes {
		return parley.Errorf(parley.CodeMessageTooLong, "Body must not exceed %d bytes", maxMessageBodyBytes)
	}
	if err := maxLength("Author", f.Author, maxIdentityLength); err != nil {
		return err
	}
	if err := maxLength("Subject", f.Subject, maxSubjectLength); err != nil {
		return err
	}
	// A MediaSid must name media "uploaded under your service instance"
	// (https://www.twilio.com/docs/api/errors/50510): its syntax here, the
	// upload in the write's transaction.
	for _, sid := range mediaSIDs(f) {
		if !parley.IsSID(sid, parley.PrefixMedia) {
			return parley.ParamError(parley.CodeMediaNotFound, "MediaSid", parley.ProblemNone, "Media %s not found", sid)
		}
	}
	if err := validateContentVariables(f.ContentVariables); err != nil {
		return err
	}
	return sidParam("ContentSid", f.ContentSID, "HX")
}

// validateContentVariables checks that ContentVariables is "a structurally
// valid JSON string" of the template's values: an object of strings, such
// as {"1":"Kerry"} (https://www.twilio.com/docs/conversations/api/conversation-message-resource).
func validateContentVariables(v *string) error {
	if nonEmpty(v) == nil {
		return nil
	}
	var values map[string]string
	if err := json.Unmarshal([]byte(*v), &values); err != nil || values == nil {
		return parley.ParamError(parley.CodeContentVariables, "ContentVariables", parley.ProblemNone,
			"ContentVariables must be a JSON object of strings, such as {\"1\":\"Kerry\"}")
	}
	return nil
}

// CreateMessage posts a message. Its index is the conversation's next one,
// reserved inside the transaction, so concurrent posts neither collide nor
// skip. A new message makes an inactive conversation active again.
func (a *App) CreateMessage(ctx context.Context, serviceSID, conversationID string, f parley.MessageFields) (*parley.Message, error) {
	acct, err := account(ctx)
	if err != nil {
		return nil, err
	}
	check := validateNewMessage
	if chatSurface(ctx) {
		// Chat: "Can be an empty string or null, which sets the value as an
		// empty string" (https://www.twilio.com/docs/chat/rest/message-resource).
		check = validateMessage
		if f.Body == nil {
			f.Body = new(string)
		}
	}
	if err := check(f); err != nil {
		return nil, err
	}
	err = a.preMessage(ctx, acct, &f, check, permit(serviceSID, conversationID, maySendMessage(f)), func(tx parley.Tx) (*parley.Event, error) {
		return a.messageAddEvent(ctx, tx, acct, serviceSID, conversationID, f)
	})
	if err != nil {
		return nil, err
	}
	attrs, err := attributes(f.Attributes, maxMessageAttributesBytes)
	if err != nil {
		return nil, err
	}
	author := messageAuthor(f)
	var m *parley.Message
	var queued bool
	if serviceSID == "" {
		serviceSID = acct.DefaultServiceSID
	}
	hinted := parley.WillReserve(ctx, parley.Reservation{ServiceSID: serviceSID, Conversation: conversationID, Author: author})
	err = a.write(hinted, func(tx parley.Tx) error {
		c, idx, participant, err := a.reserveIndex(ctx, tx, acct, serviceSID, conversationID, author)
		if err != nil {
			return err
		}
		if err := a.acceptMessage(ctx, tx, acct, c); err != nil {
			return err
		}
		now := tx.Now()
		m = &parley.Message{SID: parley.NewSID(parley.PrefixMessage), AccountSID: acct.SID, ServiceSID: c.ServiceSID,
			ConversationSID: c.SID, Index: idx, Author: author, Body: f.Body, Attributes: attrs,
			MediaSID: nonEmpty(f.MediaSID), ContentSID: nonEmpty(f.ContentSID), ContentVariables: nonEmpty(f.ContentVariables),
			Subject: f.Subject, LastUpdatedBy: nonEmpty(f.LastUpdatedBy), DateCreated: now, DateUpdated: now,
			ParticipantSID: participant}
		applyDates(&m.DateCreated, &m.DateUpdated, f.DateCreated, f.DateUpdated)
		if err := messageMedia(tx, m, mediaSIDs(f)); err != nil {
			return err
		}
		// The reservation found the author's participant, as
		// authorParticipant would.
		if err := tx.CreateMessage(m); err != nil {
			return err
		}
		if err := attachMedia(tx, m); err != nil {
			return err
		}
		if queued, err = enqueueDeliveries(tx, c, m); err != nil {
			return err
		}
		return a.emit(ctx, tx, acct, &parley.Event{Type: parley.EventMessageAdded, ServiceSID: c.ServiceSID, Conversation: c, Message: m})
	})
	a.wakeChannels(err == nil && queued)
	return m, err
}

// reserveIndex resolves the conversation a message is posted to, as
// a.conversation does, reserves its next index and finds the author's
// participant, all in one statement. A conversation the caller may not post
// to fails the write, which takes the reservation back.
func (a *App) reserveIndex(ctx context.Context, tx parley.Tx, acct *parley.Account, serviceSID, id, author string) (*parley.Conversation, int64, *string, error) {
	if serviceSID == "" {
		serviceSID = acct.DefaultServiceSID
	}
	c, idx, participant, err := tx.ReserveMessageIndexBy(serviceSID, id, author)
	if err != nil {
		return nil, 0, nil, err
	}
	if c.AccountSID != acct.SID || !a.visible(ctx, c) {
		return nil, 0, nil, parley.NotFound("Conversation", id)
	}
	return c, idx, participant, nil
}

// messageAddEvent is the onMessageAdd event of posting f.
func (a *App) messageAddEvent(ctx context.Context, tx parley.Tx, acct *parley.Account, serviceSID, conversationID string, f parley.MessageFields) (*parley.Event, error) {
	c, err := a.conversation(ctx, tx, acct, serviceSID, conversationID)
	if err != nil {
		return nil, err
	}
	m := &parley.Message{ConversationSID: c.SID, ServiceSID: c.ServiceSID, Author: messageAuthor(f), Body: f.Body}
	if err := messageMedia(tx, m, mediaSIDs(f)); err != nil {
		return nil, err
	}
	if m.Attributes, err = attributes(f.Attributes, maxMessageAttributesBytes); err != nil {
		return nil, err
	}
	m.ParticipantSID, err = authorParticipant(tx, c.SID, m.Author)
	return &parley.Event{Type: parley.EventMessageAdd, ServiceSID: c.ServiceSID, Conversation: c, Message: m}, err
}

// preMessage runs a message's pre-event and applies the webhook's
// overrides to f, checking the result as the request was checked.
func (a *App) preMessage(ctx context.Context, acct *parley.Account, f *parley.MessageFields, check func(parley.MessageFields) error, g *guard, build func(tx parley.Tx) (*parley.Event, error)) error {
	o, err := a.pre(ctx, acct, g, build)
	if err != nil || o == nil {
		return err
	}
	override(o, "body", &f.Body)
	override(o, "author", &f.Author)
	override(o, "attributes", &f.Attributes)
	return check(*f)
}

// validateNewMessage checks a new message's fields, before and again after
// a pre-event webhook changed them.
func validateNewMessage(f parley.MessageFields) error {
	if err := validateMessage(f); err != nil {
		return err
	}
	if nonEmpty(f.Body) == nil && len(mediaSIDs(f)) == 0 && nonEmpty(f.ContentSID) == nil {
		return parley.Errorf(parley.CodeInvalidParameter, "Missing required parameter Body, MediaSid or ContentSid in the post body")
	}
	return nil
}

// messageAuthor is the author a message is posted as.
func messageAuthor(f parley.MessageFields) string {
	if f.Author != nil && *f.Author != "" {
		return *f.Author
	}
	return defaultAuthor
}

// acceptMessage refuses messages to closed conversations and counts a new
// message as activity: it wakes an inactive conversation (with its
// post-events, Reason EVENT) and restarts the timers of a timed one.
func (a *App) acceptMessage(ctx context.Context, tx parley.Tx, acct *parley.Account, c *parley.Conversation) error {
	if err := notClosed(c); err != nil {
		return err
	}
	if c.State == parley.StateActive && nextDeadline(c) == nil {
		return nil // active without timers: nothing to change, no lock to take
	}
	// The conversation's row changes: re-read it under its lock, since a
	// timer may be changing it right now.
	locked, err := tx.LockConversation(c.SID)
	if err != nil {
		return err
	}
	*c = *locked
	if err := notClosed(c); err != nil {
		return err
	}
	switch {
	case c.State == parley.StateInactive:
		c.State, c.DateUpdated = parley.StateActive, tx.Now()
		scheduleTimers(c, tx.Now())
		if err := tx.UpdateConversation(c); err != nil {
			return err
		}
		if err := armTimer(tx, c); err != nil {
			return err
		}
		return a.conversationUpdated(ctx, tx, acct, c, parley.StateInactive, parley.ReasonEvent)
	case nextDeadline(c) != nil:
		// Deadlines only move later here, so the timer job (due at or
		// before the old deadline) is left alone: it reschedules itself.
		scheduleTimers(c, tx.Now())
		return tx.UpdateConversation(c)
	}
	return nil
}

// authorParticipant is the SID of the participant whose identity wrote the
// message, or nil for authors who are not participants ("system").
func authorParticipant(tx parley.Tx, conversationSID, author string) (*string, error) {
	p, err := tx.Participant(conversationSID, author)
	if parley.IsNotFound(err) || (err == nil && (p.Identity == nil || *p.Identity != author)) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &p.SID, nil
}

// Message fetches one message.
func (a *App) Message(ctx context.Context, serviceSID, conversationID, sid string) (*parley.Message, error) {
	acct, err := account(ctx)
	if err != nil {
		return nil, err
	}
	return readConversation(ctx, a, acct, serviceSID, conversationID, func(tx parley.Tx, conversationSID string) (*parley.Message, error) {
		return tx.Message(conversationSID, sid)
	})
}

// ListMessages lists a conversation's messages by index.
func (a *App) ListMessages(ctx context.Context, serviceSID, conversationID string, pr parley.PageRequest) (parley.Page[*parley.Message], error) {
	acct, err := account(ctx)
	if err != nil {
		return parley.Page[*parley.Message]{}, err
	}
	return readConversation(ctx, a, acct, serviceSID, conversationID, func(tx parley.Tx, conversationSID string) (parley.Page[*parley.Message], error) {
		return tx.ListMessages(conversationSID, pr)
	})
}

// UpdateMessage edits a message's author, body, attributes, subject or dates.
func (a *App) UpdateMessage(ctx context.Context, serviceSID, conversationID, sid string, f parley.MessageFields) (*parley.Message, error) {
	acct, err := account(ctx)
	if err != nil {
		return nil, err
	}
	if err := validateMessage(f); err != nil {
		return nil, err
	}
	err = a.preMessage(ctx, acct, &f, validateMessage, permit(serviceSID, conversationID, mayUpdateMessage(sid, f)), func(tx parley.Tx) (*parley.Event, error) {
		c, m, err := a.conversationMessage(ctx, tx, acct, serviceSID, conversationID, sid)
		if err == nil {
			m.Body, m.Author = firstSet(f.Body, m.Body), *firstSet(nonEmpty(f.Author), &m.Author)
		}
		return &parley.Event{Type: parley.EventMessageUpdate, ServiceSID: serviceOf(c), Conversation: c, Message: m}, err
	})
	if err != nil {
		return nil, err
	}
	var m *parley.Message
	err = a.write(ctx, func(tx parley.Tx) error {
		c, err := a.conversation(ctx, tx, acct, serviceSID, conversationID)
		if err == nil {
			err = notClosed(c)
		}
		if err != nil {
			return err
		}
		if m, err = tx.Message(c.SID, sid); err != nil {
			return err
		}
		old := *m
		if f.Attributes != nil {
			if m.Attributes, err = attributes(f.Attributes, maxMessageAttributesBytes); err != nil {
				return err
			}
		}
		if f.Author != nil && *f.Author != "" {
			m.Author = *f.Author
		}
		if f.Body != nil {
			m.WasEdited = m.WasEdited || m.Body == nil || *m.Body != *f.Body
			m.Body = f.Body
		}
		if f.LastUpdatedBy != nil {
			m.LastUpdatedBy = nonEmpty(f.LastUpdatedBy)
		}
		if f.Subject != nil {
			m.Subject = f.Subject
		}
		m.DateUpdated = tx.Now()
		applyDates(&m.DateCreated, &m.DateUpdated, f.DateCreated, f.DateUpdated)
		if err := tx.UpdateMessage(m); err != nil {
			return err
		}
		return a.emit(ctx, tx, acct, &parley.Event{Type: parley.EventMessageUpdated, ServiceSID: c.ServiceSID, Conversation: c, Message: m,
			Replaced: &parley.Replaced{Message: &old}})
	})
	return m, err
}

// DeleteMessage deletes a message; its index is never reused.
func (a *App) DeleteMessage(ctx context.Context, serviceSID, conversationID, sid string) error {
	acct, err := account(ctx)
	if err != nil {
		return err
	}
	_, err = a.pre(ctx, acct, permit(serviceSID, conversationID, mayDeleteMessage(sid)), func(tx parley.Tx) (*parley.Event, error) {
		c, m, err := a.conversationMessage(ctx, tx, acct, serviceSID, conversationID, sid)
		return &parley.Event{Type: parley.EventMessageRemove, ServiceSID: serviceOf(c), Conversation: c, Message: m}, err
	})
	if err != nil {
		return err
	}
	return a.write(ctx, func(tx parley.Tx) error {
		c, m, err := a.conversationMessage(ctx, tx, acct, serviceSID, conversationID, sid)
		if err != nil {
			return err
		}
		if err := forgetMedia(tx, m.SID); err != nil {
			return err
		}
		if err := tx.DeleteMessage(c.SID, m.SID); err != nil {
			return err
		}
		return a.emit(ctx, tx, acct, &parley.Event{Type: parley.EventMessageRemoved, ServiceSID: c.ServiceSID, Conversation: c, Message: m})
	})
}

// conversationMessage resolves a conversation and one of its messages.
func (a *App) conversationMessage(ctx context.Context, tx parley.Tx, acct *parley.Account, serviceSID, conversationID, sid string) (*parley.Conversation, *parley.Message, error) {
	c, err := a.conversation(ctx, tx, acct, serviceSID, conversationID)
	if err != nil {
		return nil, nil, err
	}
	m, err := tx.Message(c.SID, sid)
	return c, m, err
}

// serviceOf is c's service, or "" when c is nil (an event that will not be
// sent because its lookup failed).
func serviceOf(c *parley.Conversation) string {
	if c == nil {
		return ""
	}
	return c.ServiceSID
}

// firstSet is v when set, else fallback.
func firstSet[T any](v, fallback *T) *T {
	if v != nil {
		return v
	}
	return fallback
}
