package conversations

import (
	"net/http"
	"time"

	parley "github.com/parley-dev/parley"
	"github.com/parley-dev/parley/internal/twilioapi"
)

type timersJSON struct {
	DateInactive *twilioapi.Time `json:"date_inactive,omitempty"`
	DateClosed   *twilioapi.Time `json:"date_closed,omitempty"`
}

type conversationJSON struct {
	AccountSID          string            `json:"account_sid"`
	ChatServiceSID      string            `json:"chat_service_sid"`
	MessagingServiceSID *string           `json:"messaging_service_sid"`
	SID                 string            `json:"sid"`
	FriendlyName        *string           `json:"friendly_name"`
	UniqueName          *string           `json:"unique_name"`
	Attributes          string            `json:"attributes"`
	State               string            `json:"state"`
	DateCreated         twilioapi.Time    `json:"date_created"`
	DateUpdated         twilioapi.Time    `json:"date_updated"`
	Timers              timersJSON        `json:"timers"`
	URL                 string            `json:"url"`
	Links               map[string]string `json:"links"`
	Bindings            map[string]any    `json:"bindings"`
}

func (a *API) renderConversation(r *http.Request, c *parley.Conversation) conversationJSON {
	url := a.root(r) + "/Conversations/" + c.SID
	return conversationJSON{AccountSID: c.AccountSID, ChatServiceSID: c.ServiceSID, MessagingServiceSID: c.MessagingServiceSID,
		SID: c.SID, FriendlyName: c.FriendlyName, UniqueName: c.UniqueName, Attributes: c.Attributes, State: c.State,
		DateCreated: twilioapi.NewTime(c.DateCreated), DateUpdated: twilioapi.NewTime(c.DateUpdated),
		Timers: timersJSON{DateInactive: twilioapi.OptTime(c.DateInactive), DateClosed: twilioapi.OptTime(c.DateClosed)},
		URL:    url,
		Links: map[string]string{"participants": url + "/Participants", "messages": url + "/Messages",
			"webhooks": url + "/Webhooks", "export": url + "/Export"},
		Bindings: bindingsJSON(c)}
}

// bindingsJSON is a conversation's channel settings: its email sender,
// under the names of Twilio's example answer to a create with
// Bindings.Email.Address (projected_address, name). Twilio projects the
// address into one per conversation (example+123@example.com); Parley
// shows it as given, and routes replies by the sender's and this address.
func bindingsJSON(c *parley.Conversation) map[string]any {
	if c.EmailAddress == nil {
		return map[string]any{}
	}
	return map[string]any{"email": map[string]any{"projected_address": *c.EmailAddress, "name": c.EmailName}}
}

func conversationFields(p *twilioapi.Params) parley.ConversationFields {
	return parley.ConversationFields{
		FriendlyName:        p.String("FriendlyName"),
		UniqueName:          p.String("UniqueName"),
		Attributes:          p.String("Attributes"),
		MessagingServiceSID: p.String("MessagingServiceSid"),
		State:               p.String("State"),
		TimerInactive:       p.String("Timers.Inactive"),
		TimerClosed:         p.String("Timers.Closed"),
		EmailAddress:        p.String("Bindings.Email.Address"),
		EmailName:           p.String("Bindings.Email.Name"),
		DateCreated:         p.Time("DateCreated"),
		DateUpdated:         p.Time("DateUpdated"),
	}
}

func (a *API) createConversation(w http.ResponseWriter, r *http.Request) error {
	p, err := twilioapi.ParseParams(w, r)
	if err != nil {
		return err
	}
	f := conversationFields(p)
	if err := p.Err(); err != nil {
		return err
	}
	c, err := a.app.CreateConversation(r.Context(), serviceSID(r), f)
	return twilioapi.Reply(w, http.StatusCreated, err, func() any { return a.renderConversation(r, c) })
}

func (a *API) fetchConversation(w http.ResponseWriter, r *http.Request) error {
	c, err := a.app.Conversation(r.Context(), serviceSID(r), r.PathValue("Sid"))
	return twilioapi.Reply(w, http.StatusOK, err, func() any { return a.renderConversation(r, c) })
}

func (a *API) listConversations(w http.ResponseWriter, r *http.Request) error {
	p, pg, err := twilioapi.ParseList(w, r, maxPageSize)
	if err != nil {
		return err
	}
	var f parley.ConversationFilter
	if s := p.String("State"); s != nil {
		f.State = *s
	}
	f.StartDate = p.Time("StartDate")
	if f.EndDate = p.Time("EndDate"); f.EndDate != nil && isDateOnly(p.String("EndDate")) {
		// A bare date means the whole day (the spec: "up to YYYY-MM-DDT23:59:59Z").
		end := f.EndDate.Add(24*time.Hour - time.Millisecond)
		f.EndDate = &end
	}
	if err := p.Err(); err != nil {
		return err
	}
	page, err := a.app.ListConversations(r.Context(), serviceSID(r), f, pg.Request)
	if err != nil {
		return err
	}
	twilioapi.WriteList(w, r, a.publicURL, pg, "conversations", page.Items, page.More, func(c *parley.Conversation) int64 { return c.Seq },
		func(c *parley.Conversation) conversationJSON { return a.renderConversation(r, c) })
	return nil
}

func isDateOnly(s *string) bool { return s != nil && len(*s) == len("2006-01-02") }

func (a *API) updateConversation(w http.ResponseWriter, r *http.Request) error {
	p, err := twilioapi.ParseParams(w, r)
	if err != nil {
		return err
	}
	f := conversationFields(p)
	if err := p.Err(); err != nil {
		return err
	}
	c, err := a.app.UpdateConversation(r.Context(), serviceSID(r), r.PathValue("Sid"), f)
	return twilioapi.Reply(w, http.StatusOK, err, func() any { return a.renderConversation(r, c) })
}

func (a *API) deleteConversation(w http.ResponseWriter, r *http.Request) error {
	if err := a.app.DeleteConversation(r.Context(), serviceSID(r), r.PathValue("Sid")); err != nil {
		return err
	}
	return twilioapi.NoContent(w, nil)
}
