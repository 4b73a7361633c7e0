package conversations

import (
	"net/http"

	parley "github.com/parley-dev/parley"
	"github.com/parley-dev/parley/internal/twilioapi"
)

// accountWebhookJSON is /v1/Configuration/Webhooks.
type accountWebhookJSON struct {
	AccountSID     string   `json:"account_sid"`
	Method         string   `json:"method"`
	Filters        []string `json:"filters"`
	PreWebhookURL  *string  `json:"pre_webhook_url"`
	PostWebhookURL *string  `json:"post_webhook_url"`
	Target         string   `json:"target"`
	URL            string   `json:"url"`
}

// serviceWebhookJSON is /v1/Services/{IS}/Configuration/Webhooks, which has
// no target.
type serviceWebhookJSON struct {
	AccountSID     string   `json:"account_sid"`
	ChatServiceSID string   `json:"chat_service_sid"`
	PreWebhookURL  *string  `json:"pre_webhook_url"`
	PostWebhookURL *string  `json:"post_webhook_url"`
	Filters        []string `json:"filters"`
	Method         string   `json:"method"`
	URL            string   `json:"url"`
}

func (a *API) renderWebhookConfig(r *http.Request, c *parley.WebhookConfig) any {
	url := a.root(r) + "/Configuration/Webhooks"
	if c.ServiceSID == "" {
		return accountWebhookJSON{AccountSID: c.AccountSID, Method: c.Method, Filters: nonNilStrings(c.Filters),
			PreWebhookURL: c.PreWebhookURL, PostWebhookURL: c.PostWebhookURL, Target: c.Target, URL: url}
	}
	return serviceWebhookJSON{AccountSID: c.AccountSID, ChatServiceSID: c.ServiceSID, PreWebhookURL: c.PreWebhookURL,
		PostWebhookURL: c.PostWebhookURL, Filters: nonNilStrings(c.Filters), Method: c.Method, URL: url}
}

func webhookConfigFields(p *twilioapi.Params) parley.WebhookConfigFields {
	return parley.WebhookConfigFields{Method: p.String("Method"), Filters: repeatedParam(p, "Filters"),
		PreWebhookURL: p.String("PreWebhookUrl"), PostWebhookURL: p.String("PostWebhookUrl"), Target: p.String("Target")}
}

func (a *API) fetchWebhookConfig(w http.ResponseWriter, r *http.Request) error {
	c, err := a.app.WebhookConfig(r.Context(), serviceSID(r))
	return twilioapi.Reply(w, http.StatusOK, err, func() any { return a.renderWebhookConfig(r, c) })
}

func (a *API) updateWebhookConfig(w http.ResponseWriter, r *http.Request) error {
	f, err := decodeFields(w, r, webhookConfigFields)
	if err != nil {
		return err
	}
	c, err := a.app.UpdateWebhookConfig(r.Context(), serviceSID(r), f)
	return twilioapi.Reply(w, http.StatusOK, err, func() any { return a.renderWebhookConfig(r, c) })
}
