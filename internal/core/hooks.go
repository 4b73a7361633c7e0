package core

import (
	"context"

	parley "github.com/parley-dev/parley"
)

// WithHooks sets the webhooks operations call. Without it none fire.
func WithHooks(h parley.Hooks) Option { return func(a *App) { a.hooks = h } }

// hooksOn reports whether the operation running under ctx fires webhooks:
// hooks are configured and the caller's request fires them
// (parley.FiresWebhooks: always for SDK actions).
func (a *App) hooksOn(ctx context.Context) bool {
	return a.hooks != nil && parley.FiresWebhooks(ctx)
}

// pre checks an SDK caller's permission (g), then calls the pre-event
// webhook of the event that build makes from the current state, and
// returns the webhook's overrides. The check, the build and the webhook's
// target lookup share one read transaction, before the operation's; the
// call itself waits outside it. A refusal or rejection ends the operation
// before it changes anything. Every operation with a pre-event goes
// through here.
func (a *App) pre(ctx context.Context, acct *parley.Account, g *guard, build func(tx parley.Tx) (*parley.Event, error)) (map[string]string, error) {
	caller := parley.CallerFrom(ctx)
	checking, hooks := g != nil && !caller.Admin(), a.hooksOn(ctx)
	if !checking && !hooks {
		return nil, nil
	}
	var call parley.PreCall
	err := a.store.Read(ctx, func(tx parley.Tx) error {
		call = nil
		if checking {
			if err := a.authorizeIn(ctx, tx, acct, caller, g); err != nil {
				return err
			}
		}
		if !hooks {
			return nil
		}
		ev, err := build(tx)
		if err != nil {
			return err
		}
		call, err = a.hooks.PreTarget(tx, a.stamp(ctx, acct, ev))
		return err
	})
	if err != nil || call == nil {
		return nil, err
	}
	return call(ctx)
}

// stamp fills in what every event says about its origin: the account, the
// caller's source (API or SDK) and identity, and the surface's dialect — an action through the Chat
// view (the /v2 and /v3 surface) fires Chat's webhooks, one through /v1
// fires Conversations' — and the request that caused it.
func (a *App) stamp(ctx context.Context, acct *parley.Account, ev *parley.Event) *parley.Event {
	ev.AccountSID, ev.Source, ev.Chat = acct.SID, parley.SourceOf(ctx), chatSurface(ctx)
	ev.ClientIdentity = parley.ActingIdentity(ctx)
	ev.RequestID = parley.RequestID(ctx)
	return ev
}

// write runs fn in one write transaction and, when it may have enqueued
// post-events, wakes their worker once it committed.
func (a *App) write(ctx context.Context, fn func(tx parley.Tx) error) error {
	err := a.store.Write(ctx, fn)
	if err == nil && a.hooksOn(ctx) {
		a.hooks.Notify()
	}
	return err
}

// override replaces *field with the pre-event webhook's value for key, if
// it sent one.
func override(o map[string]string, key string, field **string) {
	if v, ok := o[key]; ok {
		*field = &v
	}
}
