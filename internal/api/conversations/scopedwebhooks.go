package conversations

import (
	"net/http"

	parley "github.com/parley-dev/parley"
	"github.com/parley-dev/parley/internal/twilioapi"
)

// maxScopedWebhookPage is the spec's PageSize limit for conversation webhooks.
const maxScopedWebhookPage = 5

type scopedWebhookJSON struct {
	SID             string `json:"sid"`
	AccountSID      string `json:"account_sid"`
	ChatServiceSID  string `json:"chat_service_sid,omitempty"` // on the service-scoped routes only, as in the spec
	ConversationSID string `json:"conversation_sid"`
	Target          string `json:"target"`
	URL             string `json:"url"`
	// Configuration holds the keys of the webhook's target only, as Twilio
	// renders it (e.g. {"flow_sid": ...} for studio).
	Configuration map[string]any `json:"configuration"`
	DateCreated   twilioapi.Time `json:"date_created"`
	DateUpdated   twilioapi.Time `json:"date_updated"`
}

func (a *API) renderScopedWebhook(r *http.Request, h *parley.ScopedWebhook) scopedWebhookJSON {
	cfg := map[string]any{}
	if h.URL != nil {
		cfg["url"] = *h.URL
	}
	if h.Method != nil {
		cfg["method"] = *h.Method
	}
	if h.Target == parley.WebhookTargetWebhook || len(h.Filters) > 0 {
		cfg["filters"] = nonNilStrings(h.Filters)
	}
	if h.Target == parley.WebhookTargetTrigger {
		cfg["triggers"] = nonNilStrings(h.Triggers)
	}
	if h.FlowSID != nil {
		cfg["flow_sid"] = *h.FlowSID
	}
	if h.ReplayAfter != nil {
		cfg["replay_after"] = *h.ReplayAfter
	}
	out := scopedWebhookJSON{SID: h.SID, AccountSID: h.AccountSID, ConversationSID: h.ConversationSID, Target: h.Target,
		URL: a.root(r) + "/Conversations/" + h.ConversationSID + "/Webhooks/" + h.SID, Configuration: cfg,
		DateCreated: twilioapi.NewTime(h.DateCreated), DateUpdated: twilioapi.NewTime(h.DateUpdated)}
	if serviceSID(r) != "" {
		out.ChatServiceSID = h.ServiceSID
	}
	return out
}

func scopedWebhookFields(p *twilioapi.Params) parley.ScopedWebhookFields {
	return parley.ScopedWebhookFields{Target: p.String("Target"), URL: p.String("Configuration.Url"),
		Method: p.String("Configuration.Method"), Filters: repeatedParam(p, "Configuration.Filters"),
		Triggers: repeatedParam(p, "Configuration.Triggers"), FlowSID: p.String("Configuration.FlowSid"),
		ReplayAfter: p.Int("Configuration.ReplayAfter")}
}

func (a *API) createScopedWebhook(w http.ResponseWriter, r *http.Request) error {
	f, err := decodeFields(w, r, scopedWebhookFields)
	if err != nil {
		return err
	}
	h, err := a.app.CreateScopedWebhook(r.Context(), serviceSID(r), r.PathValue("ConversationSid"), f)
	return twilioapi.Reply(w, http.StatusCreated, err, func() any { return a.renderScopedWebhook(r, h) })
}

func (a *API) fetchScopedWebhook(w http.ResponseWriter, r *http.Request) error {
	h, err := a.app.ScopedWebhook(r.Context(), serviceSID(r), r.PathValue("ConversationSid"), r.PathValue("Sid"))
	return twilioapi.Reply(w, http.StatusOK, err, func() any { return a.renderScopedWebhook(r, h) })
}

func (a *API) listScopedWebhooks(w http.ResponseWriter, r *http.Request) error {
	_, pg, err := twilioapi.ParseList(w, r, maxScopedWebhookPage)
	if err != nil {
		return err
	}
	page, err := a.app.ListScopedWebhooks(r.Context(), serviceSID(r), r.PathValue("ConversationSid"), pg.Request)
	if err != nil {
		return err
	}
	twilioapi.WriteList(w, r, a.publicURL, pg, "webhooks", page.Items, page.More, func(h *parley.ScopedWebhook) int64 { return h.Seq },
		func(h *parley.ScopedWebhook) scopedWebhookJSON { return a.renderScopedWebhook(r, h) })
	return nil
}

func (a *API) updateScopedWebhook(w http.ResponseWriter, r *http.Request) error {
	f, err := decodeFields(w, r, scopedWebhookFields)
	if err != nil {
		return err
	}
	// Target and ReplayAfter are fixed at creation.
	f.Target, f.ReplayAfter = nil, nil
	h, err := a.app.UpdateScopedWebhook(r.Context(), serviceSID(r), r.PathValue("ConversationSid"), r.PathValue("Sid"), f)
	return twilioapi.Reply(w, http.StatusOK, err, func() any { return a.renderScopedWebhook(r, h) })
}

func (a *API) deleteScopedWebhook(w http.ResponseWriter, r *http.Request) error {
	if err := a.app.DeleteScopedWebhook(r.Context(), serviceSID(r), r.PathValue("ConversationSid"), r.PathValue("Sid")); err != nil {
		return err
	}
	return twilioapi.NoContent(w, nil)
}
