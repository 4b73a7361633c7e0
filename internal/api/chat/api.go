// Package chat serves Programmable Chat v2 (/v2/...) and the Chat v3 channel
// update (/v3/...) over the same domain and store as Conversations: a Chat
// service is a Conversation Service, a channel is a conversation (same CH
// sid), a member is a participant.
package chat

import (
	"net/http"

	parley "github.com/parley-dev/parley"
	"github.com/parley-dev/parley/internal/api/credentials"
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
func New(app *core.App, publicURL string) *API { return &API{app: app, publicURL: publicURL} }

// Register adds every Chat route to rt.
func (a *API) Register(rt *twilioapi.Routes) {
	rt = rt.WithErrors(chatError).WithSurface(parley.SurfaceChat)
	rt.Handle("GET", "/v2/Services", a.listServices)
	rt.Handle("POST", "/v2/Services", a.createService)
	rt.Handle("GET", "/v2/Services/{Sid}", a.fetchService)
	rt.Handle("POST", "/v2/Services/{Sid}", a.updateService)
	rt.Handle("DELETE", "/v2/Services/{Sid}", a.deleteService)

	const channels = "/v2/Services/{ServiceSid}/Channels"
	rt.Handle("GET", channels, a.listChannels)
	rt.Handle("POST", channels, a.createChannel)
	rt.Handle("GET", channels+"/{Sid}", a.fetchChannel)
	rt.Handle("POST", channels+"/{Sid}", a.updateChannel)
	rt.Handle("DELETE", channels+"/{Sid}", a.deleteChannel)

	const members = channels + "/{ChannelSid}/Members"
	rt.Handle("GET", members, a.listMembers)
	rt.Handle("POST", members, a.createMember)
	rt.Handle("GET", members+"/{Sid}", a.fetchMember)
	rt.Handle("POST", members+"/{Sid}", a.updateMember)
	rt.Handle("DELETE", members+"/{Sid}", a.deleteMember)

	const messages = channels + "/{ChannelSid}/Messages"
	rt.Handle("GET", messages, a.listMessages)
	rt.Handle("POST", messages, a.createMessage)
	rt.Handle("GET", messages+"/{Sid}", a.fetchMessage)
	rt.Handle("POST", messages+"/{Sid}", a.updateMessage)
	rt.Handle("DELETE", messages+"/{Sid}", a.deleteMessage)

	const invites = channels + "/{ChannelSid}/Invites"
	rt.Handle("GET", invites, a.listInvites)
	rt.Handle("POST", invites, a.createInvite)
	rt.Handle("GET", invites+"/{Sid}", a.fetchInvite)
	rt.Handle("DELETE", invites+"/{Sid}", a.deleteInvite)

	const webhooks = channels + "/{ChannelSid}/Webhooks"
	rt.Handle("GET", webhooks, a.listChannelWebhooks)
	rt.Handle("POST", webhooks, a.createChannelWebhook)
	rt.Handle("GET", webhooks+"/{Sid}", a.fetchChannelWebhook)
	rt.Handle("POST", webhooks+"/{Sid}", a.updateChannelWebhook)
	rt.Handle("DELETE", webhooks+"/{Sid}", a.deleteChannelWebhook)

	rt.Handle("POST", "/v3/Services/{ServiceSid}/Channels/{Sid}", a.migrateChannel)

	const svc = "/v2/Services/{ServiceSid}"
	a.users().Register(rt, svc+"/Users")

	rt.Handle("GET", svc+"/Users/{UserSid}/Channels", a.listUserChannels)
	rt.Handle("GET", svc+"/Users/{UserSid}/Channels/{ChannelSid}", a.fetchUserChannel)
	rt.Handle("POST", svc+"/Users/{UserSid}/Channels/{ChannelSid}", a.updateUserChannel)
	rt.Handle("DELETE", svc+"/Users/{UserSid}/Channels/{ChannelSid}", a.deleteUserChannel)

	rt.Handle("GET", svc+"/Bindings", a.listBindings)
	rt.Handle("GET", svc+"/Bindings/{Sid}", a.fetchBinding)
	rt.Handle("DELETE", svc+"/Bindings/{Sid}", a.deleteBinding)
	rt.Handle("GET", svc+"/Users/{UserSid}/Bindings", a.listUserBindings)
	rt.Handle("GET", svc+"/Users/{UserSid}/Bindings/{Sid}", a.fetchUserBinding)
	rt.Handle("DELETE", svc+"/Users/{UserSid}/Bindings/{Sid}", a.deleteUserBinding)

	a.roles().Register(rt, svc+"/Roles")

	// Credentials belong to the account, not to a service.
	credentials.Register(rt, a.app, a.publicURL, "v2", false)
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
