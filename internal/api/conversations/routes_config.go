package conversations

import (
	"net/http"

	"github.com/parley-dev/parley/internal/api/credentials"
	"github.com/parley-dev/parley/internal/twilioapi"
)

// registerConfig adds the routes for webhook configurations, notifications, credentials and address configurations.
func (a *API) registerConfig(rt *twilioapi.Routes) {
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
}

// repeatedParam returns a repeated parameter, or nil when it was not sent, so
// an update can tell "not given" from "cleared".
func repeatedParam(p *twilioapi.Params, name string) *[]string {
	if !p.Has(name) {
		return nil
	}
	v := p.Strings(name)
	return &v
}

// decodeFields decodes a create or update request and reports the first
// malformed typed parameter once fields has read them all.
func decodeFields[F any](w http.ResponseWriter, r *http.Request, fields func(*twilioapi.Params) F) (F, error) {
	var f F
	p, err := twilioapi.ParseParams(w, r)
	if err != nil {
		return f, err
	}
	f = fields(p)
	return f, p.Err()
}

// nonNilStrings renders a nil list as [] rather than null.
func nonNilStrings(v []string) []string {
	if v == nil {
		return []string{}
	}
	return v
}
