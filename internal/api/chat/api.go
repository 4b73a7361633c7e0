// Package chat serves Programmable Chat v2 (/v2/...) and the Chat v3 channel
// update (/v3/...) over the same domain and store as Conversations: a Chat
// service is a Conversation Service, a channel is a conversation (same CH
// sid), a member is a participant.
package chat

import (
	"net/http"

	"github.com/parley-dev/parley/internal/core"
	"github.com/parley-dev/parley/internal/twilioapi"
)

// maxPageSize is the Chat spec's PageSize maximum.
const maxPageSize = 100

// maxDeliveryPageSize is the Chat spec's PageSize maximum for bindings,
// user bindings and user channels.
const maxDeliveryPageSize = 50

// API is the Chat v2/v3 surface.
type API struct {
	app       *core.App
	publicURL string
}

// New returns the surface over app; publicURL, when set, is the base of every
// absolute URL in responses.
// The surface works on the domain's Chat view, which sees public channels.
func New(app *core.App, publicURL string) *API { return &API{app: app.Chat(), publicURL: publicURL} }

// Register adds every Chat route to rt.
func (a *API) Register(rt *twilioapi.Routes) {
	rt = rt.WithErrors(chatError)
	a.registerChannels(rt)
	a.registerUsers(rt)
}

// base is the absolute URL of the Chat v2 API root.
func (a *API) base(r *http.Request) string { return twilioapi.BaseURL(r, a.publicURL) + "/v2" }

// service is the Chat service a request addresses.
func service(r *http.Request) string { return r.PathValue("ServiceSid") }

// serviceURL is the absolute URL of the request's service.
func (a *API) serviceURL(r *http.Request) string { return a.base(r) + "/Services/" + service(r) }

// channelURL is the absolute URL of a channel, which its members, messages
// and invites are rendered under.
func (a *API) channelURL(r *http.Request, serviceSID, channelSID string) string {
	return a.base(r) + "/Services/" + serviceSID + "/Channels/" + channelSID
}

// respond renders v with status, or passes err on.
func respond[T any, W any](w http.ResponseWriter, status int, v T, err error, render func(T) W) error {
	if err != nil {
		return err
	}
	twilioapi.WriteJSON(w, status, render(v))
	return nil
}
