// Package admin is Parley's own API under /parley/v1: emulator and
// operator features none of Twilio's products has (the webhook inspector
// first). It answers JSON and uses the same account authentication.
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
}

// New returns the admin API over the webhook inspector.
func New(inspector *webhook.Inspector) *API { return &API{inspector: inspector} }

// Register adds the /parley/v1 routes to rt.
func (a *API) Register(rt *twilioapi.Routes) {
	rt.Handle("GET", "/parley/v1/WebhookDeliveries", a.listDeliveries)
}

// listDeliveries answers the account's recent webhook deliveries, newest
// first: {"deliveries": [...]}.
func (a *API) listDeliveries(w http.ResponseWriter, r *http.Request) error {
	acct := twilioapi.Account(r)
	w.Header().Set("Content-Type", "application/json")
	return json.NewEncoder(w).Encode(map[string]any{"deliveries": a.inspector.Recent(acct.SID)})
}
