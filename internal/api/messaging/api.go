// Package messaging serves the part of Twilio's Messaging v1 API that
// Conversations needs: Messaging Services and their phone-number sender
// pools. Twilio serves it on messaging.twilio.com/v1, whose /v1/Services
// collides with Conversations' own, so Parley serves it under the path
// prefix /messaging/v1 and, for requests whose Host starts with
// "messaging.", on /v1 as well (the server routes by Host).
package messaging

import (
	"net/http"

	"github.com/parley-dev/parley/internal/core"
	"github.com/parley-dev/parley/internal/twilioapi"
)

// Prefix is the path prefix of the Messaging surface on Parley's origin.
const Prefix = "/messaging"

// maxPageSize is the spec's PageSize maximum for Messaging lists.
const maxPageSize = 1000

// API is the Messaging v1 surface.
type API struct {
	app       *core.App
	publicURL string
}

// New returns the surface over app; publicURL, when set, is the base of
// every absolute URL in responses.
func New(app *core.App, publicURL string) *API { return &API{app: app, publicURL: publicURL} }

// Register adds every Messaging route to rt, under Prefix.
func (a *API) Register(rt *twilioapi.Routes) {
	const v1 = Prefix + "/v1"
	rt.Handle("GET", v1+"/Services", a.listServices)
	rt.Handle("POST", v1+"/Services", a.createService)
	rt.Handle("GET", v1+"/Services/{Sid}", a.fetchService)
	rt.Handle("POST", v1+"/Services/{Sid}", a.updateService)
	rt.Handle("DELETE", v1+"/Services/{Sid}", a.deleteService)

	rt.Handle("GET", v1+"/Services/{ServiceSid}/PhoneNumbers", a.listSenders)
	rt.Handle("POST", v1+"/Services/{ServiceSid}/PhoneNumbers", a.addSender)
	rt.Handle("GET", v1+"/Services/{ServiceSid}/PhoneNumbers/{Sid}", a.fetchSender)
	rt.Handle("DELETE", v1+"/Services/{ServiceSid}/PhoneNumbers/{Sid}", a.removeSender)
}

// base is the start of the surface's absolute URLs.
func (a *API) base(r *http.Request) string {
	return twilioapi.BaseURL(r, a.publicURL) + Prefix + "/v1"
}
