// Package chat serves Programmable Chat v2 (/v2/...) and the Chat v3 channel
// update (/v3/...) over the same domain and store as Conversations: a Chat
// service is a Conversation Service, a channel is a conversation (same CH
// sid), a member is a participant.
package chat

import (
	"net/http"

	parley "github.com/parley-dev/parley"
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
// The surface works on the domain's Chat view, which sees public channels.
func New(app *core.App, publicURL string) *API { return &API{app: app.Chat(), publicURL: publicURL} }

// Register adds every Chat route to rt.
func (a *API) Register(rt *twilioapi.Routes) {
	a.registerChannels(rt)
	a.registerUsers(rt)
}

// base is the absolute URL of the Chat v2 API root.
func (a *API) base(r *http.Request) string { return twilioapi.BaseURL(r, a.publicURL) + "/v2" }

// service is the Chat service a request addresses.
func service(r *http.Request) string { return r.PathValue("ServiceSid") }

// channelURL is the absolute URL of a channel, which its members, messages
// and invites are rendered under.
func (a *API) channelURL(r *http.Request, serviceSID, channelSID string) string {
	return a.base(r) + "/Services/" + serviceSID + "/Channels/" + channelSID
}

// listPage renders one page of a list: items mapped with render under key,
// and meta whose page tokens come from each item's keyset key.
func listPage[T any, W any](a *API, w http.ResponseWriter, r *http.Request, pg twilioapi.Paging, key string, page parley.Page[T], keyOf func(T) int64, render func(T) W) {
	out := make([]W, len(page.Items))
	keys := make([]int64, len(page.Items))
	for i, it := range page.Items {
		out[i], keys[i] = render(it), keyOf(it)
	}
	meta := pg.Meta(r, twilioapi.BaseURL(r, a.publicURL), key, keys, page.More)
	twilioapi.WriteJSON(w, http.StatusOK, map[string]any{key: out, "meta": meta})
}

// respond renders v with status, or passes err on.
func respond[T any, W any](w http.ResponseWriter, status int, v T, err error, render func(T) W) error {
	if err != nil {
		return err
	}
	twilioapi.WriteJSON(w, status, render(v))
	return nil
}

// noContent answers a successful delete, or passes err on.
func noContent(w http.ResponseWriter, err error) error {
	if err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// params decodes the request's parameters and its paging in one step.
func params(w http.ResponseWriter, r *http.Request) (*twilioapi.Params, twilioapi.Paging, error) {
	p, err := twilioapi.ParseParams(w, r)
	if err != nil {
		return nil, twilioapi.Paging{}, err
	}
	pg, err := twilioapi.ParsePaging(p, maxPageSize)
	return p, pg, err
}
