package core

import (
	"context"
	"time"

	parley "github.com/parley-dev/parley"
	"github.com/parley-dev/parley/internal/clock"
)

// Twilio's timer minimums (https://www.twilio.com/docs/conversations/states-timers).
const (
	minInactiveTimer = time.Minute
	minClosedTimer   = 10 * time.Minute
)

func validateTimers(inactive, closed *string) error {
	if inactive != nil {
		d, ok := clock.ParseDuration(*inactive)
		if !ok {
			return parley.Errorf(parley.CodeTimerInactiveInvalid, "Timers.Inactive must be an ISO 8601 duration such as PT10M")
		}
		if d < minInactiveTimer {
			return parley.Errorf(parley.CodeTimerInactiveTooLow, "Timers.Inactive must be at least 1 minute")
		}
	}
	if closed != nil {
		d, ok := clock.ParseDuration(*closed)
		if !ok {
			return parley.Errorf(parley.CodeTimerClosedInvalid, "Timers.Closed must be an ISO 8601 duration such as PT10M")
		}
		if d < minClosedTimer {
			return parley.Errorf(parley.CodeTimerClosedTooLow, "Timers.Closed must be at least 10 minutes")
		}
	}
	return nil
}

func validateState(state *string) error {
	if state == nil {
		return nil
	}
	switch *state {
	case parley.StateActive, parley.StateInactive, parley.StateClosed:
		return nil
	}
	return parley.Errorf(parley.CodeStateInvalid, "State must be one of active, inactive, closed")
}

func validateConversation(f parley.ConversationFields) error {
	if err := maxLength("FriendlyName", f.FriendlyName, maxNameLength); err != nil {
		return err
	}
	if err := maxLength("UniqueName", f.UniqueName, maxNameLength); err != nil {
		return err
	}
	if f.UniqueName != nil && parley.IsSID(*f.UniqueName, parley.PrefixConversation) {
		return parley.Errorf(parley.CodeUniqueNameIsSID, "UniqueName must not look like a Conversation SID")
	}
	if err := sidParam("MessagingServiceSid", f.MessagingServiceSID, parley.PrefixMessaging); err != nil {
		return err
	}
	if err := validateState(f.State); err != nil {
		return err
	}
	if err := validateEmailSender(f); err != nil {
		return err
	}
	return validateTimers(nonEmpty(f.TimerInactive), nonEmpty(f.TimerClosed))
}

// CreateConversation creates a conversation in a service ("" = default).
func (a *App) CreateConversation(ctx context.Context, serviceSID string, f parley.ConversationFields) (*parley.Conversation, error) {
	acct, err := account(ctx)
	if err != nil {
		return nil, err
	}
	attrs, err := checkNewConversation(f)
	if err != nil {
		return nil, err
	}
	o, err := a.pre(ctx, acct, permit(serviceSID, "", mayCreateConversation), func(tx parley.Tx) (*parley.Event, error) {
		svc, err := service(tx, acct, serviceSID)
		if err != nil {
			return nil, err
		}
		c := &parley.Conversation{ServiceSID: svc.SID, FriendlyName: f.FriendlyName, UniqueName: nonEmpty(f.UniqueName),
			Attributes: attrs, State: *firstSet(f.State, ptrTo(parley.StateActive)), MessagingServiceSID: nonEmpty(f.MessagingServiceSID),
			Type: *firstSet(f.Type, ptrTo(parley.ChannelPrivate)), CreatedBy: nonEmpty(f.CreatedBy)}
		return &parley.Event{Type: parley.EventConversationAdd, ServiceSID: svc.SID, Conversation: c}, nil
	})
	if err != nil {
		return nil, err
	}
	if o != nil {
		overrideConversation(o, &f)
		if attrs, err = checkNewConversation(f); err != nil {
			return nil, err
		}
	}
	var c *parley.Conversation
	err = a.write(ctx, func(tx parley.Tx) (err error) {
		if c, err = createConversation(tx, acct, serviceSID, f, attrs); err != nil {
			return err
		}
		return a.emit(ctx, tx, acct, &parley.Event{Type: parley.EventConversationAdded, ServiceSID: c.ServiceSID, Conversation: c})
	})
	return c, err
}

// overrideConversation applies what onConversationAdd/onConversationUpdate
// may change.
func overrideConversation(o map[string]string, f *parley.ConversationFields) {
	override(o, "friendly_name", &f.FriendlyName)
	override(o, "unique_name", &f.UniqueName)
	override(o, "attributes", &f.Attributes)
}

func ptrTo[T any](v T) *T { return &v }

// checkNewConversation validates a create request before any transaction and
// returns the conversation's attributes.
func checkNewConversation(f parley.ConversationFields) (string, error) {
	if err := validateConversation(f); err != nil {
		return "", err
	}
	if f.State == nil && (nonEmpty(f.TimerInactive) != nil || nonEmpty(f.TimerClosed) != nil) {
		return "", parley.Errorf(parley.CodeTimersWithoutState, "Timers require State in the same request")
	}
	if f.State != nil && *f.State == parley.StateClosed {
		return "", parley.Errorf(parley.CodeCreatedClosed, "A conversation cannot be created closed")
	}
	return attributes(f.Attributes, maxConversationAttributesBytes)
}

// createConversation creates, inside tx, the conversation that
// checkNewConversation accepted; account-wide defaults fill what f leaves out.
func createConversation(tx parley.Tx, acct *parley.Account, serviceSID string, f parley.ConversationFields, attrs string) (*parley.Conversation, error) {
	svc, err := service(tx, acct, serviceSID)
	if err != nil {
		return nil, err
	}
	cfg, err := tx.Account(acct.SID)
	if err != nil {
		return nil, err
	}
	if err := checkMessagingService(tx, acct.SID, nonEmpty(f.MessagingServiceSID)); err != nil {
		return nil, err
	}
	now := tx.Now()
	c := &parley.Conversation{SID: parley.NewSID(parley.PrefixConversation), AccountSID: acct.SID,
		ServiceSID: svc.SID, FriendlyName: f.FriendlyName, UniqueName: nonEmpty(f.UniqueName),
		Attributes: attrs, State: parley.StateActive, MessagingServiceSID: nonEmpty(f.MessagingServiceSID),
		TimerInactive: nonEmpty(f.TimerInactive), TimerClosed: nonEmpty(f.TimerClosed),
		Type: parley.ChannelPrivate, CreatedBy: nonEmpty(f.CreatedBy), DateCreated: now, DateUpdated: now,
		EmailAddress: nonEmpty(f.EmailAddress), EmailName: nonEmpty(f.EmailName)}
	if f.Type != nil {
		c.Type = *f.Type
	}
	if c.MessagingServiceSID == nil {
		c.MessagingServiceSID = cfg.DefaultMessagingServiceSID
	}
	// The account's default timers are Conversations settings: a channel
	// created through Chat (which sets Type) gets none, since Chat has no
	// states and a Chat application would not expect its channels to close.
	if f.Type == nil && c.TimerInactive == nil {
		c.TimerInactive = cfg.DefaultInactiveTimer
	}
	if f.Type == nil && c.TimerClosed == nil {
		c.TimerClosed = cfg.DefaultClosedTimer
	}
	if f.State != nil {
		c.State = *f.State
	}
	applyDates(&c.DateCreated, &c.DateUpdated, f.DateCreated, f.DateUpdated)
	scheduleTimers(c, now)
	if err := tx.CreateConversation(c); err != nil {
		return nil, err
	}
	return c, armTimer(tx, c)
}

// applyDates lets a request back-date a resource (history imports); an
// explicit DateCreated alone also sets DateUpdated.
func applyDates(created, updated *time.Time, reqCreated, reqUpdated *time.Time) {
	if reqCreated != nil {
		*created, *updated = *reqCreated, *reqCreated
	}
	if reqUpdated != nil {
		*updated = *reqUpdated
	}
}

// Conversation fetches a conversation by SID or unique name.
func (a *App) Conversation(ctx context.Context, serviceSID, id string) (*parley.Conversation, error) {
	acct, err := account(ctx)
	if err != nil {
		return nil, err
	}
	var c *parley.Conversation
	err = a.store.Read(ctx, func(tx parley.Tx) (err error) {
		c, err = a.conversation(ctx, tx, acct, serviceSID, id)
		return err
	})
	return c, err
}

// ListConversations lists a service's conversations, oldest first, or newest
// first when a date filter is given (as the spec says).
func (a *App) ListConversations(ctx context.Context, serviceSID string, f parley.ConversationFilter, p parley.PageRequest) (parley.Page[*parley.Conversation], error) {
	acct, err := account(ctx)
	if err != nil {
		return parley.Page[*parley.Conversation]{}, err
	}
	var page parley.Page[*parley.Conversation]
	if f.State != "" {
		if err := validateState(&f.State); err != nil {
			return page, err
		}
	}
	p.Desc = f.StartDate != nil || f.EndDate != nil
	if a.privateOnly(ctx) {
		f.Type = parley.ChannelPrivate
	}
	err = a.store.Read(ctx, func(tx parley.Tx) error {
		svc, err := service(tx, acct, serviceSID)
		if err != nil {
			return err
		}
		page, err = tx.ListConversations(svc.SID, f, p)
		return err
	})
	return page, err
}

// UpdateConversation changes the fields given. A closed conversation is final.
func (a *App) UpdateConversation(ctx context.Context, serviceSID, id string, f parley.ConversationFields) (*parley.Conversation, error) {
	acct, err := account(ctx)
	if err != nil {
		return nil, err
	}
	if err := validateConversation(f); err != nil {
		return nil, err
	}
	o, err := a.pre(ctx, acct, permit(serviceSID, id, mayUpdateConversation(f)), func(tx parley.Tx) (*parley.Event, error) {
		c, err := a.conversation(ctx, tx, acct, serviceSID, id)
		if err == nil {
			err = applyConversation(c, f)
		}
		return &parley.Event{Type: parley.EventConversationUpdate, ServiceSID: serviceOf(c), Conversation: c}, err
	})
	if err != nil {
		return nil, err
	}
	if o != nil {
		overrideConversation(o, &f)
		if err := validateConversation(f); err != nil {
			return nil, err
		}
	}
	var c *parley.Conversation
	err = a.write(ctx, func(tx parley.Tx) (err error) {
		if c, err = a.conversation(ctx, tx, acct, serviceSID, id); err != nil {
			return err
		}
		// Under the row lock: a timer may be changing the state right now.
		if c, err = tx.LockConversation(c.SID); err != nil {
			return err
		}
		old := *c
		if err := notClosed(c); err != nil {
			return err
		}
		if err := checkMessagingService(tx, acct.SID, nonEmpty(f.MessagingServiceSID)); err != nil {
			return err
		}
		if err := applyConversation(c, f); err != nil {
			return err
		}
		c.DateUpdated = tx.Now()
		applyDates(&c.DateCreated, &c.DateUpdated, f.DateCreated, f.DateUpdated)
		timersChanged := f.State != nil || f.TimerInactive != nil || f.TimerClosed != nil
		if timersChanged {
			scheduleTimers(c, tx.Now())
		}
		if err := tx.UpdateConversation(c); err != nil {
			return err
		}
		if timersChanged {
			if err := armTimer(tx, c); err != nil {
				return err
			}
		}
		return a.conversationChanged(ctx, tx, acct, c, &old, parley.ReasonAPI)
	})
	return c, err
}

// conversationUpdated enqueues onConversationUpdated, and
// onConversationStateUpdated when the state changed (for reason).
func (a *App) conversationUpdated(ctx context.Context, tx parley.Tx, acct *parley.Account, c *parley.Conversation, stateFrom, reason string) error {
	return a.conversationChanged(ctx, tx, acct, c, &parley.Conversation{State: stateFrom}, reason)
}

// conversationChanged is conversationUpdated for a change that knows the
// whole conversation it replaced (old); the events carry it.
func (a *App) conversationChanged(ctx context.Context, tx parley.Tx, acct *parley.Account, c, old *parley.Conversation, reason string) error {
	var replaced *parley.Replaced
	if old.SID != "" {
		replaced = &parley.Replaced{Conversation: old}
	}
	if err := a.emit(ctx, tx, acct, &parley.Event{Type: parley.EventConversationUpdated, ServiceSID: c.ServiceSID, Conversation: c,
		Replaced: replaced}); err != nil {
		return err
	}
	if c.State == old.State {
		return nil
	}
	return a.emit(ctx, tx, acct, &parley.Event{Type: parley.EventConversationStateUpdated, ServiceSID: c.ServiceSID,
		Conversation: c, StateFrom: old.State, Reason: reason, Replaced: replaced})
}

func applyConversation(c *parley.Conversation, f parley.ConversationFields) error {
	if f.Attributes != nil {
		attrs, err := attributes(f.Attributes, maxConversationAttributesBytes)
		if err != nil {
			return err
		}
		c.Attributes = attrs
	}
	if f.FriendlyName != nil {
		c.FriendlyName = f.FriendlyName
	}
	if f.UniqueName != nil {
		c.UniqueName = nonEmpty(f.UniqueName)
	}
	if f.MessagingServiceSID != nil {
		c.MessagingServiceSID = nonEmpty(f.MessagingServiceSID)
	}
	if f.State != nil {
		c.State = *f.State
	}
	if f.TimerInactive != nil {
		c.TimerInactive = nonEmpty(f.TimerInactive)
	}
	if f.TimerClosed != nil {
		c.TimerClosed = nonEmpty(f.TimerClosed)
	}
	if f.EmailAddress != nil {
		c.EmailAddress = nonEmpty(f.EmailAddress)
	}
	if f.EmailName != nil {
		c.EmailName = nonEmpty(f.EmailName)
	}
	if f.Type != nil {
		c.Type = *f.Type
	}
	if f.CreatedBy != nil {
		c.CreatedBy = nonEmpty(f.CreatedBy)
	}
	return nil
}

// DeleteConversation deletes a conversation with its participants and messages.
func (a *App) DeleteConversation(ctx context.Context, serviceSID, id string) error {
	acct, err := account(ctx)
	if err != nil {
		return err
	}
	_, err = a.pre(ctx, acct, permit(serviceSID, id, mayDeleteConversation), func(tx parley.Tx) (*parley.Event, error) {
		c, err := a.conversation(ctx, tx, acct, serviceSID, id)
		return &parley.Event{Type: parley.EventConversationRemove, ServiceSID: serviceOf(c), Conversation: c}, err
	})
	if err != nil {
		return err
	}
	return a.write(ctx, func(tx parley.Tx) error {
		c, err := a.conversation(ctx, tx, acct, serviceSID, id)
		if err != nil {
			return err
		}
		// Enqueued before the delete, which cascades to the scoped
		// webhooks that may be among the event's targets.
		if err := a.emit(ctx, tx, acct, &parley.Event{Type: parley.EventConversationRemoved, ServiceSID: c.ServiceSID, Conversation: c}); err != nil {
			return err
		}
		if err := tx.CancelJob(timerKey(c.SID)); err != nil {
			return err
		}
		if err := forgetMedia(tx, c.SID); err != nil {
			return err
		}
		return tx.DeleteConversation(c.ServiceSID, c.SID)
	})
}
