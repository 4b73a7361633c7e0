package core

import (
	"context"
	"encoding/json"
	"time"

	parley "github.com/parley-dev/parley"
	"github.com/parley-dev/parley/internal/clock"
)

// Conversation timers (https://www.twilio.com/docs/conversations/states-timers).
//
// A conversation's deadlines live on its row (date_inactive, date_closed:
// what the API shows as timers) and each conversation with a deadline has
// exactly one durable job, keyed by its SID, due no later than its next
// deadline. The job is written in the transaction that sets the deadline,
// so a committed timer survives a restart; the job's handler changes the
// state only if the deadline it reads under a row lock has passed, so a
// job that runs twice, or early, fires nothing twice. New messages move
// deadlines later without touching the job: it runs at the old deadline,
// finds nothing due and reschedules itself, which costs one job run per
// timer period instead of one job write per message.

// TimerJobKind is the job kind of conversation timers.
const TimerJobKind = "conversation.timer"

type timerJob struct {
	ConversationSID string `json:"conversation_sid"`
}

func timerKey(conversationSID string) string { return "timer:" + conversationSID }

// notClosed refuses changes to a closed conversation: closed is final
// (https://www.twilio.com/docs/api/errors/50377). Deleting a closed
// conversation, its messages or participants stays possible.
func notClosed(c *parley.Conversation) error {
	if c.State == parley.StateClosed {
		return parley.Errorf(parley.CodeConversationClosed, "Conversation %s is closed; a closed conversation cannot change", c.SID)
	}
	return nil
}

// scheduleTimers sets the conversation's deadlines from its timers, counted
// from now (its last activity): inactive while active, closed while not
// closed.
func scheduleTimers(c *parley.Conversation, now time.Time) {
	c.DateInactive, c.DateClosed = nil, nil
	if c.TimerInactive != nil && c.State == parley.StateActive {
		d, _ := clock.ParseDuration(*c.TimerInactive)
		t := now.Add(d)
		c.DateInactive = &t
	}
	if c.TimerClosed != nil && c.State != parley.StateClosed {
		d, _ := clock.ParseDuration(*c.TimerClosed)
		t := now.Add(d)
		c.DateClosed = &t
	}
}

// nextDeadline is the conversation's earliest pending deadline, or nil.
func nextDeadline(c *parley.Conversation) *time.Time {
	var next *time.Time
	if c.State == parley.StateActive && c.DateInactive != nil {
		next = c.DateInactive
	}
	if c.State != parley.StateClosed && c.DateClosed != nil && (next == nil || c.DateClosed.Before(*next)) {
		next = c.DateClosed
	}
	return next
}

// armTimer puts the conversation's timer job on its next deadline, or
// removes it when there is none. Call it inside the transaction that moved
// a deadline earlier or created one.
func armTimer(tx parley.Tx, c *parley.Conversation) error {
	next := nextDeadline(c)
	if next == nil {
		return tx.CancelJob(timerKey(c.SID))
	}
	payload, err := json.Marshal(timerJob{ConversationSID: c.SID})
	if err != nil {
		return err
	}
	return tx.EnqueueJob(&parley.Job{Kind: TimerJobKind, Key: timerKey(c.SID), Payload: payload, RunAt: *next})
}

// RunTimer is the handler of TimerJobKind: it applies every transition
// whose deadline has passed, in order (a conversation whose inactive and
// closed deadlines both passed goes inactive, then closed), each with
// onConversationUpdated and onConversationStateUpdated (Reason TIMER), and
// reschedules the job on the next deadline (or removes it) in the same
// transaction.
func (a *App) RunTimer(ctx context.Context, j *parley.Job) error {
	var p timerJob
	if err := json.Unmarshal(j.Payload, &p); err != nil {
		return parley.PermanentJobError(err)
	}
	err := a.store.Write(ctx, func(tx parley.Tx) error {
		c, err := tx.LockConversation(p.ConversationSID)
		if parley.IsNotFound(err) {
			return tx.CancelJob(timerKey(p.ConversationSID)) // deleted since
		}
		if err != nil {
			return err
		}
		acct := &parley.Account{SID: c.AccountSID}
		// A timer is no REST request: it acts for the conversation's
		// account, and its events always fire, like Twilio's.
		ctx := parley.WithSystemCaller(ctx, acct)
		for {
			old, at := *c, timerDue(c, tx.Now())
			if at == nil {
				break
			}
			if c.State == parley.StateActive && c.DateInactive != nil && c.DateInactive.Equal(*at) {
				c.State, c.DateInactive = parley.StateInactive, nil
			} else {
				c.State, c.DateInactive, c.DateClosed = parley.StateClosed, nil, nil
			}
			// The change dates from its deadline, however late the job ran.
			c.DateUpdated = *at
			if err := tx.UpdateConversation(c); err != nil {
				return err
			}
			if err := a.conversationChanged(ctx, tx, acct, c, &old, parley.ReasonTimer); err != nil {
				return err
			}
		}
		return armTimer(tx, c)
	})
	if err == nil && a.hooks != nil {
		a.hooks.Notify()
	}
	if err == nil {
		err = parley.ErrJobSettled // armTimer rescheduled or removed the job
	}
	return err
}

// timerDue is the earliest deadline of c that has passed by now, or nil.
func timerDue(c *parley.Conversation, now time.Time) *time.Time {
	next := nextDeadline(c)
	if next == nil || next.After(now) {
		return nil
	}
	return next
}
