package core

import (
	"context"
	"time"

	parley "github.com/parley-dev/parley"
)

// Typing is what a typing signal needs to go out: the conversation it is
// about and the service's typing timeout.
type Typing struct {
	ConversationSID string
	// Timeout is the service's typing_indicator_timeout: how long a client
	// waits before it signals again.
	Timeout time.Duration
}

// StartTyping checks that the caller may signal typing in a conversation
// (it takes part in it) and returns the service's typing timeout. Typing is
// a pulse, not a change: nothing is written, no event is logged and no
// webhook fires (https://www.twilio.com/docs/conversations/typing-indicator).
func (a *App) StartTyping(ctx context.Context, serviceSID, conversationID string) (*Typing, error) {
	acct, err := account(ctx)
	if err != nil {
		return nil, err
	}
	caller := parley.CallerFrom(ctx)
	var t *Typing
	err = a.store.Read(ctx, func(tx parley.Tx) error {
		svc, err := service(tx, acct, serviceSID)
		if err != nil {
			return err
		}
		c, err := a.conversation(ctx, tx, acct, svc.SID, conversationID)
		if err != nil {
			return err
		}
		if !caller.Admin() {
			p, err := tx.Participant(c.SID, caller.Identity)
			if parley.IsNotFound(err) || (err == nil && (p.Identity == nil || *p.Identity != caller.Identity)) {
				return parley.Errorf(parley.CodePermissionDenied, "User not member of conversation")
			}
			if err != nil {
				return err
			}
		}
		t = &Typing{ConversationSID: c.SID, Timeout: time.Duration(svc.Chat.TypingIndicatorTimeout) * time.Second}
		return nil
	})
	return t, err
}
