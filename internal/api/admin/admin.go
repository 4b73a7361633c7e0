// Package admin is Parley's own API under /parley/v1: emulator and
// operator features none of Twilio's products has: the webhook inspector
// and the virtual clock. It answers JSON and uses the same account authentication.
package admin

import (
	"context"
	"encoding/json"
	"net/http"

	parley "github.com/parley-dev/parley"
	"github.com/parley-dev/parley/internal/twilioapi"
	"github.com/parley-dev/parley/internal/webhook"
)

// API serves /parley/v1.
type API struct {
	inspector *webhook.Inspector
	pushes    PushLog
	clock     Clock // nil on the real clock
}

// PushLog lists an account's recent push deliveries (core.App).
type PushLog interface {
	RecentPushDeliveries(ctx context.Context, accountSID string) ([]parley.PushDelivery, error)
}

// New returns the admin API over the webhook inspector, the push log and
// the virtual clock (nil when Parley runs on the real clock).
func New(inspector *webhook.Inspector, pushes PushLog, clock Clock) *API {
	return &API{inspector: inspector, pushes: pushes, clock: clock}
}

// Register adds the /parley/v1 routes to rt.
func (a *API) Register(rt *twilioapi.Routes) {
	rt.Handle("GET", "/parley/v1/WebhookDeliveries", a.listDeliveries)
	rt.Handle("GET", "/parley/v1/PushDeliveries", a.listPushDeliveries)
	rt.Handle("GET", "/parley/v1/Clock", a.getClock)
	rt.Handle("POST", "/parley/v1/Clock", a.moveClock)
}

// listDeliveries answers the account's recent webhook deliveries, newest
// first: {"deliveries": [...]}.
func (a *API) listDeliveries(w http.ResponseWriter, r *http.Request) error {
	acct := twilioapi.Account(r)
	deliveries, err := a.inspector.Recent(r.Context(), acct.SID)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json")
	return json.NewEncoder(w).Encode(map[string]any{"deliveries": deliveries})
}

// listPushDeliveries answers the account's recent push notifications,
// newest first: {"deliveries": [...]}, with what each transport sent.
func (a *API) listPushDeliveries(w http.ResponseWriter, r *http.Request) error {
	deliveries, err := a.pushes.RecentPushDeliveries(r.Context(), twilioapi.Account(r).SID)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json")
	return json.NewEncoder(w).Encode(map[string]any{"deliveries": deliveries})
}
