package core

import (
	"context"
	"time"

	parley "github.com/parley-dev/parley"
)

// Reachability ("presence"): while a service's reachability_enabled is on,
// an identity is online from its first client SDK connection to the end of
// its last one (https://www.twilio.com/docs/conversations/reachability).
// Each node process holds a lease per connected user, renewed while it
// lives; a process that dies stops renewing, and the sweep turns its users
// offline once the leases have run out. Changes reach SDK clients through
// the user's info map and fire onUserUpdated, as Twilio's do (its
// user.updated event carries IsOnline and IsNotifiable:
// https://www.twilio.com/docs/events/event-types/conversations/user).

// EnterPresence records that the caller has a connection on holder, for
// lease; the user's first live lease turns it online. Nothing is tracked
// (and nothing written) while the service's reachability is off: entered
// reports whether a lease was taken.
func (a *App) EnterPresence(ctx context.Context, c *parley.Caller, holder string, lease time.Duration) (entered bool, err error) {
	var svc *parley.Service
	err = a.store.Read(ctx, func(tx parley.Tx) (err error) {
		svc, err = service(tx, c.Account, c.ServiceSID)
		return err
	})
	if err != nil || !svc.ReachabilityEnabled {
		return false, err
	}
	return true, a.write(ctx, func(tx parley.Tx) error {
		u, err := tx.User(svc.SID, c.Identity)
		if err != nil {
			return err
		}
		came, err := tx.EnterPresence(u.SID, holder, tx.Now().Add(lease))
		if err != nil || !came {
			return err
		}
		return a.emitReachability(ctx, tx, c.Account, u, true)
	})
}

// LeavePresence records that the caller's last connection on holder ended;
// the user goes offline when no other live lease remains.
func (a *App) LeavePresence(ctx context.Context, c *parley.Caller, holder string) error {
	return a.write(ctx, func(tx parley.Tx) error {
		u, err := tx.User(c.ServiceSID, c.Identity)
		if parley.IsNotFound(err) {
			return nil // deleted meanwhile: its leases went with it
		}
		if err != nil {
			return err
		}
		went, err := tx.LeavePresence(u.SID, holder)
		if err != nil || !went {
			return err
		}
		return a.emitReachability(ctx, tx, c.Account, u, false)
	})
}

// RenewPresence extends every lease of holder by lease from now.
func (a *App) RenewPresence(ctx context.Context, holder string, lease time.Duration) error {
	return a.store.Write(ctx, func(tx parley.Tx) error {
		return tx.RenewPresence(holder, tx.Now().Add(lease))
	})
}

// presenceSweepBatch bounds the users one sweep transaction handles.
const presenceSweepBatch = 500

// SweepPresence turns offline the users whose every lease has expired (their
// node died) and reports how many; a full batch means more may be waiting.
func (a *App) SweepPresence(ctx context.Context) (int, error) {
	n := 0
	err := a.store.Write(ctx, func(tx parley.Tx) error {
		changed, err := tx.SweepPresence(presenceSweepBatch)
		if err != nil {
			return err
		}
		n = len(changed)
		for _, c := range changed {
			acct, err := tx.Account(c.AccountSID)
			if err != nil {
				return err
			}
			u, err := tx.User(c.ServiceSID, c.UserSID)
			if err != nil {
				return err
			}
			// Nobody's request: the change is the SDK's, so its webhook
			// fires; the system acts for the user's account.
			if err := a.emitReachability(parley.WithSystemCaller(ctx, acct), tx, acct, u, false); err != nil {
				return err
			}
		}
		return nil
	})
	if err == nil && a.hooks != nil {
		a.hooks.Notify()
	}
	return n, err
}

// emitReachability emits onUserUpdated for a user going online or offline.
func (a *App) emitReachability(ctx context.Context, tx parley.Tx, acct *parley.Account, u *parley.User, online bool) error {
	notifiable, err := notifiable(tx, u)
	if err != nil {
		return err
	}
	return a.emit(ctx, tx, acct, &parley.Event{Type: parley.EventUserUpdated, ServiceSID: u.ServiceSID, User: u,
		Reachability: &parley.Reachability{Known: true, Online: online}, Notifiable: notifiable})
}

// notifiable reports whether the user has a push binding: Twilio's
// is_notifiable ("a potentially valid Push Notification registration").
func notifiable(tx parley.Tx, u *parley.User) (bool, error) {
	page, err := tx.ListBindings(u.ServiceSID, parley.BindingFilter{Identities: []string{u.Identity}}, parley.PageRequest{Size: 1})
	return len(page.Items) > 0, err
}

// UserReachability is what REST and the SDK show of a user's reachability:
// nil while the service's reachability is off; otherwise is_online and
// is_notifiable, each nil until the user first connected (is_notifiable:
// or registered for push).
type UserReachability struct {
	Online     *bool
	Notifiable *bool
}

// Reachability reads a user's (SID or identity) reachability.
func (a *App) Reachability(ctx context.Context, serviceSID, userID string) (*UserReachability, error) {
	acct, err := account(ctx)
	if err != nil {
		return nil, err
	}
	var r *UserReachability
	err = a.store.Read(ctx, func(tx parley.Tx) error {
		svc, err := service(tx, acct, serviceSID)
		if err != nil || !svc.ReachabilityEnabled {
			return err
		}
		u, err := tx.User(svc.SID, userID)
		if err != nil {
			return err
		}
		state, err := tx.Reachability(u.SID)
		if err != nil {
			return err
		}
		n, err := notifiable(tx, u)
		if err != nil {
			return err
		}
		// Both stay null for a user that never connected (and, for
		// is_notifiable, never registered for push), as Twilio's do.
		r = &UserReachability{}
		if state.Known {
			r.Online = &state.Online
		}
		if n || state.Known {
			r.Notifiable = &n
		}
		return nil
	})
	return r, err
}

// pushChange runs change, a change of the caller's push bindings, and
// with the service's reachability on tells the user's watchers when it
// changed whether the user is notifiable (the SDK's userUpdated with
// reachabilityNotifiable, and onUserUpdated).
func (a *App) pushChange(ctx context.Context, tx parley.Tx, c *parley.Caller, change func() error) error {
	svc, err := service(tx, c.Account, c.ServiceSID)
	if err != nil {
		return err
	}
	var u *parley.User
	if svc.ReachabilityEnabled {
		if u, err = tx.User(svc.SID, c.Identity); err != nil && !parley.IsNotFound(err) {
			return err
		}
	}
	if u == nil {
		return change()
	}
	before, err := notifiable(tx, u)
	if err != nil {
		return err
	}
	if err := change(); err != nil {
		return err
	}
	after, err := notifiable(tx, u)
	if err != nil || after == before {
		return err
	}
	state, err := tx.Reachability(u.SID)
	if err != nil {
		return err
	}
	return a.emit(ctx, tx, c.Account, &parley.Event{Type: parley.EventUserUpdated, ServiceSID: u.ServiceSID, User: u,
		Reachability: &parley.Reachability{Known: state.Known, Online: state.Online}, Notifiable: after})
}
