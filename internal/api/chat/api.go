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

// API is the Chat v2/v3 surface.
type API struct {
	app       *core.App
	publicURL string
}

// New returns the surface over app; publicURL, when set, is the base of every
// absolute URL in responses.
func New(app *core.App, publicURL string) *API { return &API{app: app, publicURL: publicURL} }

// Register adds every Chat route to rt.
func (a *API) Register(rt *twilioapi.Routes) {
	a.registerChannels(rt)
	a.registerUsers(rt)
}

// base is the absolute URL of the Chat v2 API root.
func (a *API) base(r *http.Request) string { return twilioapi.BaseURL(r, a.publicURL) + "/v2" }
