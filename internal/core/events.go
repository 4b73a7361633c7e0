package core

import (
	"context"

	parley "github.com/parley-dev/parley"
)

// WithProjector sets the consumer that derives views (the virtual Sync)
// from every domain event, inside the event's transaction.
func WithProjector(p parley.EventConsumer) Option { return func(a *App) { a.projector = p } }

// emit is the one emit point of domain events: every write calls it inside
// its transaction, whatever X-Twilio-Webhook-Enabled says. The projector
// always consumes the event; webhooks are one more consumer, gated by the
// caller's header (hooksOn). Both render the event before emit returns, so
// later changes to the structs it points at cannot leak into what they
// saw.
func (a *App) emit(ctx context.Context, tx parley.Tx, acct *parley.Account, ev *parley.Event) error {
	a.stamp(ctx, acct, ev)
	return a.consume(tx, ev, a.hooksOn(ctx))
}

// consume hands a stamped event to its consumers: the Sync projector always,
// push notifications when the service enables them, the post-event webhooks
// when hooks is set and the event is not domain-only.
func (a *App) consume(tx parley.Tx, ev *parley.Event, hooks bool) error {
	if a.projector != nil {
		if err := a.projector.Consume(tx, ev); err != nil {
			return err
		}
	}
	if err := a.enqueuePush(tx, ev); err != nil {
		return err
	}
	if !hooks || parley.DomainOnly(ev.Type) {
		return nil
	}
	return a.hooks.Post(tx, ev)
}
