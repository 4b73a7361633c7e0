package chat

import (
	"net/http"
	"strings"

	parley "github.com/parley-dev/parley"
	"github.com/parley-dev/parley/internal/core"
	"github.com/parley-dev/parley/internal/twilioapi"
)

type channelWebhookJSON struct {
	SID           string         `json:"sid"`
	AccountSID    string         `json:"account_sid"`
	ServiceSID    string         `json:"service_sid"`
	ChannelSID    string         `json:"channel_sid"`
	Type          string         `json:"type"`
	URL           string         `json:"url"`
	Configuration map[string]any `json:"configuration"`
	DateCreated   twilioapi.Time `json:"date_created"`
	DateUpdated   twilioapi.Time `json:"date_updated"`
}

// renderChannelWebhook renders a conversation-scoped webhook as a Chat
// channel webhook: Chat's event names, upper-case method and its retry count.
func (a *API) renderChannelWebhook(r *http.Request, h *parley.ScopedWebhook) channelWebhookJSON {
	cfg := map[string]any{"retry_count": h.RetryCount}
	if h.URL != nil {
		cfg["url"] = *h.URL
	}
	if h.Method != nil {
		cfg["method"] = strings.ToUpper(*h.Method)
	}
	if h.Target == parley.WebhookTargetWebhook || len(h.Filters) > 0 {
		cfg["filters"] = core.ChatEventNames(h.Filters)
	}
	if h.Target == parley.WebhookTargetTrigger {
		cfg["triggers"] = append([]string{}, h.Triggers...)
	}
	if h.FlowSID != nil {
		cfg["flow_sid"] = *h.FlowSID
	}
	return channelWebhookJSON{SID: h.SID, AccountSID: h.AccountSID, ServiceSID: h.ServiceSID,
		ChannelSID: h.ConversationSID, Type: h.Target,
		URL:           a.channelURL(r, h.ServiceSID, h.ConversationSID) + "/Webhooks/" + h.SID,
		Configuration: cfg, DateCreated: twilioapi.NewTime(h.DateCreated), DateUpdated: twilioapi.NewTime(h.DateUpdated)}
}

// repeated is a repeated parameter, nil when not sent.
func repeated(p *twilioapi.Params, name string) *[]string {
	if !p.Has(name) {
		return nil
	}
	v := p.Strings(name)
	return &v
}

func channelWebhookFields(p *twilioapi.Params) parley.ScopedWebhookFields {
	return parley.ScopedWebhookFields{Target: p.String("Type"), URL: p.String("Configuration.Url"),
		Method: p.String("Configuration.Method"), Filters: repeated(p, "Configuration.Filters"),
		Triggers: repeated(p, "Configuration.Triggers"), FlowSID: p.String("Configuration.FlowSid")}
}

func (a *API) createChannelWebhook(w http.ResponseWriter, r *http.Request) error {
	p, err := twilioapi.ParseParams(w, r)
	if err != nil {
		return err
	}
	f, retries := channelWebhookFields(p), p.Int("Configuration.RetryCount")
	if err := p.Err(); err != nil {
		return err
	}
	h, err := a.app.CreateChannelWebhook(r.Context(), service(r), r.PathValue("ChannelSid"), f, retries)
	return respond(w, http.StatusCreated, h, err, func(h *parley.ScopedWebhook) channelWebhookJSON { return a.renderChannelWebhook(r, h) })
}

func (a *API) fetchChannelWebhook(w http.ResponseWriter, r *http.Request) error {
	h, err := a.app.ScopedWebhook(r.Context(), service(r), r.PathValue("ChannelSid"), r.PathValue("Sid"))
	return respond(w, http.StatusOK, h, err, func(h *parley.ScopedWebhook) channelWebhookJSON { return a.renderChannelWebhook(r, h) })
}

func (a *API) listChannelWebhooks(w http.ResponseWriter, r *http.Request) error {
	_, pg, err := twilioapi.ParseList(w, r, maxPageSize)
	if err != nil {
		return err
	}
	page, err := a.app.ListScopedWebhooks(r.Context(), service(r), r.PathValue("ChannelSid"), pg.Request)
	if err != nil {
		return err
	}
	twilioapi.WriteList(w, r, a.publicURL, pg, "webhooks", page.Items, page.More, func(h *parley.ScopedWebhook) int64 { return h.Seq },
		func(h *parley.ScopedWebhook) channelWebhookJSON { return a.renderChannelWebhook(r, h) })
	return nil
}

func (a *API) updateChannelWebhook(w http.ResponseWriter, r *http.Request) error {
	p, err := twilioapi.ParseParams(w, r)
	if err != nil {
		return err
	}
	f, retries := channelWebhookFields(p), p.Int("Configuration.RetryCount")
	f.Target = nil // the type is fixed at creation
	if err := p.Err(); err != nil {
		return err
	}
	h, err := a.app.UpdateChannelWebhook(r.Context(), service(r), r.PathValue("ChannelSid"), r.PathValue("Sid"), f, retries)
	return respond(w, http.StatusOK, h, err, func(h *parley.ScopedWebhook) channelWebhookJSON { return a.renderChannelWebhook(r, h) })
}

func (a *API) deleteChannelWebhook(w http.ResponseWriter, r *http.Request) error {
	return twilioapi.NoContent(w, a.app.DeleteScopedWebhook(r.Context(), service(r), r.PathValue("ChannelSid"), r.PathValue("Sid")))
}
