package chat

import (
	"net/http"

	parley "github.com/parley-dev/parley"
	"github.com/parley-dev/parley/internal/twilioapi"
)

type channelJSON struct {
	SID           string            `json:"sid"`
	AccountSID    string            `json:"account_sid"`
	ServiceSID    string            `json:"service_sid"`
	FriendlyName  *string           `json:"friendly_name"`
	UniqueName    *string           `json:"unique_name"`
	Attributes    string            `json:"attributes"`
	Type          string            `json:"type"`
	DateCreated   twilioapi.Time    `json:"date_created"`
	DateUpdated   twilioapi.Time    `json:"date_updated"`
	CreatedBy     string            `json:"created_by"`
	MembersCount  int64             `json:"members_count"`
	MessagesCount int64             `json:"messages_count"`
	URL           string            `json:"url"`
	Links         map[string]string `json:"links,omitempty"`
	// MessagingServiceSID is rendered by Chat v3 only.
	MessagingServiceSID **string `json:"messaging_service_sid,omitempty"`
}

// renderChannel renders a conversation as a Chat v2 channel. A conversation
// made through Conversations was made by the API, so its creator is "system".
func (a *API) renderChannel(r *http.Request, c *parley.Conversation) channelJSON {
	url := a.channelURL(r, c.ServiceSID, c.SID)
	createdBy := "system"
	if c.CreatedBy != nil {
		createdBy = *c.CreatedBy
	}
	return channelJSON{SID: c.SID, AccountSID: c.AccountSID, ServiceSID: c.ServiceSID, FriendlyName: c.FriendlyName,
		UniqueName: c.UniqueName, Attributes: c.Attributes, Type: c.Type, DateCreated: twilioapi.NewTime(c.DateCreated),
		DateUpdated: twilioapi.NewTime(c.DateUpdated), CreatedBy: createdBy, MembersCount: c.MembersCount,
		MessagesCount: c.MessagesCount, URL: url, Links: map[string]string{"members": url + "/Members",
			"messages": url + "/Messages", "invites": url + "/Invites", "webhooks": url + "/Webhooks",
			"last_message": url + "/Messages/last"}}
}

// renderChannelV3 renders the Chat v3 channel: no links, and the
// conversation's Messaging Service.
func (a *API) renderChannelV3(r *http.Request, c *parley.Conversation) channelJSON {
	out := a.renderChannel(r, c)
	out.Links = nil
	out.URL = twilioapi.BaseURL(r, a.publicURL) + "/v3/Services/" + c.ServiceSID + "/Channels/" + c.SID
	out.MessagingServiceSID = &c.MessagingServiceSID
	return out
}

func channelFields(p *twilioapi.Params) parley.ConversationFields {
	return parley.ConversationFields{FriendlyName: p.String("FriendlyName"), UniqueName: p.String("UniqueName"),
		Attributes: p.String("Attributes"), CreatedBy: p.String("CreatedBy"),
		DateCreated: p.Time("DateCreated"), DateUpdated: p.Time("DateUpdated")}
}

func (a *API) createChannel(w http.ResponseWriter, r *http.Request) error {
	p, err := twilioapi.ParseParams(w, r)
	if err != nil {
		return err
	}
	f := channelFields(p)
	f.Type = p.String("Type")
	if err := p.Err(); err != nil {
		return err
	}
	c, err := a.app.CreateChannel(r.Context(), service(r), f)
	return respond(w, http.StatusCreated, c, err, func(c *parley.Conversation) channelJSON { return a.renderChannel(r, c) })
}

func (a *API) fetchChannel(w http.ResponseWriter, r *http.Request) error {
	c, err := a.app.Conversation(r.Context(), service(r), r.PathValue("Sid"))
	return respond(w, http.StatusOK, c, err, func(c *parley.Conversation) channelJSON { return a.renderChannel(r, c) })
}

func (a *API) listChannels(w http.ResponseWriter, r *http.Request) error {
	p, pg, err := twilioapi.ParseList(w, r, maxPageSize)
	if err != nil {
		return err
	}
	page, err := a.app.ListChannels(r.Context(), service(r), p.Strings("Type"), pg.Request)
	if err != nil {
		return err
	}
	twilioapi.WriteList(w, r, a.publicURL, pg, "channels", page.Items, page.More, func(c *parley.Conversation) int64 { return c.Seq },
		func(c *parley.Conversation) channelJSON { return a.renderChannel(r, c) })
	return nil
}

func (a *API) updateChannel(w http.ResponseWriter, r *http.Request) error {
	p, err := twilioapi.ParseParams(w, r)
	if err != nil {
		return err
	}
	f := channelFields(p)
	if err := p.Err(); err != nil {
		return err
	}
	c, err := a.app.UpdateConversation(r.Context(), service(r), r.PathValue("Sid"), f)
	return respond(w, http.StatusOK, c, err, func(c *parley.Conversation) channelJSON { return a.renderChannel(r, c) })
}

func (a *API) deleteChannel(w http.ResponseWriter, r *http.Request) error {
	return twilioapi.NoContent(w, a.app.DeleteConversation(r.Context(), service(r), r.PathValue("Sid")))
}

// migrateChannel is Chat v3's only operation: make a public channel private
// and give it a Messaging Service.
func (a *API) migrateChannel(w http.ResponseWriter, r *http.Request) error {
	p, err := twilioapi.ParseParams(w, r)
	if err != nil {
		return err
	}
	c, err := a.app.MigrateChannel(r.Context(), service(r), r.PathValue("Sid"),
		p.String("Type"), p.String("MessagingServiceSid"))
	return respond(w, http.StatusOK, c, err, func(c *parley.Conversation) channelJSON { return a.renderChannelV3(r, c) })
}
