// Package conversations serves the Twilio Conversations v1 REST surface
// (/v1/...): it decodes Twilio's form parameters, calls the domain
// operations in internal/core and renders the spec's JSON.
package conversations

import (
	"net/http"

	parley "github.com/parley-dev/parley"
	"github.com/parley-dev/parley/internal/api/credentials"
	"github.com/parley-dev/parley/internal/core"
	"github.com/parley-dev/parley/internal/twilioapi"
)

// maxPageSize is the spec's PageSize maximum for Conversations lists.
const maxPageSize = 100

// API is the Conversations v1 surface.
type API struct {
	app       *core.App
	publicURL string
}

// New returns the surface over app; publicURL, when set, is the base of every
// absolute URL in responses.
func New(app *core.App, publicURL string) *API { return &API{app: app, publicURL: publicURL} }

// Register adds every Conversations v1 route to rt.
func (a *API) Register(rt *twilioapi.Routes) {
	rt = rt.WithSurface(parley.SurfaceConversations)
	rt.Handle("GET", "/v1/Services", a.listServices)
	rt.Handle("POST", "/v1/Services", a.createService)
	rt.Handle("GET", "/v1/Services/{Sid}", a.fetchService)
	rt.Handle("DELETE", "/v1/Services/{Sid}", a.deleteService)

	rt.Handle("GET", "/v1/Configuration", a.fetchConfiguration)
	rt.Handle("POST", "/v1/Configuration", a.updateConfiguration)

	// Resources inside a service answer on the short routes (the account's
	// default service) and the service-scoped ones, through the same code.
	for _, prefix := range []string{"/v1", "/v1/Services/{ChatServiceSid}"} {
		rt.Handle("GET", prefix+"/Conversations", a.listConversations)
		rt.Handle("POST", prefix+"/Conversations", a.createConversation)
		rt.Handle("GET", prefix+"/Conversations/{Sid}", a.fetchConversation)
		rt.Handle("POST", prefix+"/Conversations/{Sid}", a.updateConversation)
		rt.Handle("DELETE", prefix+"/Conversations/{Sid}", a.deleteConversation)

		rt.Handle("GET", prefix+"/Conversations/{ConversationSid}/Participants", a.listParticipants)
		rt.Handle("POST", prefix+"/Conversations/{ConversationSid}/Participants", a.createParticipant)
		rt.Handle("GET", prefix+"/Conversations/{ConversationSid}/Participants/{Sid}", a.fetchParticipant)
		rt.Handle("POST", prefix+"/Conversations/{ConversationSid}/Participants/{Sid}", a.updateParticipant)
		rt.Handle("DELETE", prefix+"/Conversations/{ConversationSid}/Participants/{Sid}", a.deleteParticipant)

		rt.Handle("GET", prefix+"/Conversations/{ConversationSid}/Messages", a.listMessages)
		rt.Handle("POST", prefix+"/Conversations/{ConversationSid}/Messages", a.createMessage)
		rt.Handle("GET", prefix+"/Conversations/{ConversationSid}/Messages/{Sid}", a.fetchMessage)
		rt.Handle("POST", prefix+"/Conversations/{ConversationSid}/Messages/{Sid}", a.updateMessage)
		rt.Handle("DELETE", prefix+"/Conversations/{ConversationSid}/Messages/{Sid}", a.deleteMessage)

		a.users().Register(rt, prefix+"/Users")
	}

	// The service configuration exists only service-scoped: /v1/Configuration
	// is the account's.
	rt.Handle("GET", "/v1/Services/{ChatServiceSid}/Configuration", a.fetchServiceConfiguration)
	rt.Handle("POST", "/v1/Services/{ChatServiceSid}/Configuration", a.updateServiceConfiguration)

	for _, prefix := range []string{"/v1", "/v1/Services/{ChatServiceSid}"} {
		a.roles().Register(rt, prefix+"/Roles")

		rt.Handle("GET", prefix+"/Users/{UserSid}/Conversations", a.listUserConversations)
		rt.Handle("GET", prefix+"/Users/{UserSid}/Conversations/{ConversationSid}", a.fetchUserConversation)
		rt.Handle("POST", prefix+"/Users/{UserSid}/Conversations/{ConversationSid}", a.updateUserConversation)
		rt.Handle("DELETE", prefix+"/Users/{UserSid}/Conversations/{ConversationSid}", a.deleteUserConversation)

		rt.Handle("GET", prefix+"/ParticipantConversations", a.listParticipantConversations)
	}

	rt.Handle("GET", "/v1/Configuration/Webhooks", a.fetchWebhookConfig)
	rt.Handle("POST", "/v1/Configuration/Webhooks", a.updateWebhookConfig)
	rt.Handle("GET", "/v1/Services/{ChatServiceSid}/Configuration/Webhooks", a.fetchWebhookConfig)
	rt.Handle("POST", "/v1/Services/{ChatServiceSid}/Configuration/Webhooks", a.updateWebhookConfig)

	rt.Handle("GET", "/v1/Services/{ChatServiceSid}/Configuration/Notifications", a.fetchNotificationConfig)
	rt.Handle("POST", "/v1/Services/{ChatServiceSid}/Configuration/Notifications", a.updateNotificationConfig)

	for _, prefix := range []string{"/v1", "/v1/Services/{ChatServiceSid}"} {
		rt.Handle("GET", prefix+"/Conversations/{ConversationSid}/Webhooks", a.listScopedWebhooks)
		rt.Handle("POST", prefix+"/Conversations/{ConversationSid}/Webhooks", a.createScopedWebhook)
		rt.Handle("GET", prefix+"/Conversations/{ConversationSid}/Webhooks/{Sid}", a.fetchScopedWebhook)
		rt.Handle("POST", prefix+"/Conversations/{ConversationSid}/Webhooks/{Sid}", a.updateScopedWebhook)
		rt.Handle("DELETE", prefix+"/Conversations/{ConversationSid}/Webhooks/{Sid}", a.deleteScopedWebhook)
	}

	credentials.Register(rt, a.app, a.publicURL, "v1", true)

	rt.Handle("GET", "/v1/Configuration/Addresses", a.listAddressConfigs)
	rt.Handle("POST", "/v1/Configuration/Addresses", a.createAddressConfig)
	rt.Handle("GET", "/v1/Configuration/Addresses/{Sid}", a.fetchAddressConfig)
	rt.Handle("POST", "/v1/Configuration/Addresses/{Sid}", a.updateAddressConfig)
	rt.Handle("DELETE", "/v1/Configuration/Addresses/{Sid}", a.deleteAddressConfig)

	// Push bindings exist only per service: the spec has no short route.
	rt.Handle("GET", "/v1/Services/{ChatServiceSid}/Bindings", a.listBindings)
	rt.Handle("GET", "/v1/Services/{ChatServiceSid}/Bindings/{Sid}", a.fetchBinding)
	rt.Handle("DELETE", "/v1/Services/{ChatServiceSid}/Bindings/{Sid}", a.deleteBinding)

	for _, prefix := range []string{"/v1", "/v1/Services/{ChatServiceSid}"} {
		receipts := prefix + "/Conversations/{ConversationSid}/Messages/{MessageSid}/Receipts"
		rt.Handle("GET", receipts, a.listReceipts)
		rt.Handle("GET", receipts+"/{Sid}", a.fetchReceipt)

		rt.Handle("POST", prefix+"/ConversationWithParticipants", a.createConversationWithParticipants)
	}
}

// serviceSID is the service a request addresses; "" on the short routes.
func serviceSID(r *http.Request) string { return r.PathValue("ChatServiceSid") }

// root is the absolute URL resources are rendered under: /v1 on the short
// routes, /v1/Services/{sid} on the service-scoped ones.
func (a *API) root(r *http.Request) string {
	base := twilioapi.BaseURL(r, a.publicURL) + "/v1"
	if svc := serviceSID(r); svc != "" {
		return base + "/Services/" + svc
	}
	return base
}
