// Package admin is Parley's own API under /parley/v1: emulator and
// operator features none of Twilio's products has: the webhook inspector
// and the virtual clock. It answers JSON and uses the same account authentication.
package admin

import (
	"encoding/json"
	"net/http"

	"github.com/parley-dev/parley/internal/twilioapi"
	"github.com/parley-dev/parley/internal/webhook"
)

// API serves /parley/v1.
type API struct {
	inspector *webhook.Inspector
	clock     Clock // nil on the real clock
}

// New returns the admin API over the webhook inspector and the virtual
// clock (nil when Parley runs on the real clock).
func New(inspector *webhook.Inspector, clock Clock) *API {
	return &API{inspector: inspector, clock: clock}
}

// Register adds the /parley/v1 routes to rt.
func (a *API) Register(rt *twilioapi.Routes) {
	rt.Handle("GET", "/parley/v1/WebhookDeliveries", a.listDeliveries)
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
