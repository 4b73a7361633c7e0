package chat

import (
	"net/http"

	parley "github.com/parley-dev/parley"
	"github.com/parley-dev/parley/internal/twilioapi"
)

type messageJSON struct {
	SID           string         `json:"sid"`
	AccountSID    string         `json:"account_sid"`
	Attributes    string         `json:"attributes"`
	ServiceSID    string         `json:"service_sid"`
	To            string         `json:"to"`
	ChannelSID    string         `json:"channel_sid"`
	DateCreated   twilioapi.Time `json:"date_created"`
	DateUpdated   twilioapi.Time `json:"date_updated"`
	LastUpdatedBy *string        `json:"last_updated_by"`
	WasEdited     bool           `json:"was_edited"`
	From          string         `json:"from"`
	Body          *string        `json:"body"`
	Index         int64          `json:"index"`
	Type          string         `json:"type"`
	Media         map[string]any `json:"media"`
	URL           string         `json:"url"`
}

// renderMessage renders a message as Chat shows it: from is the author and
// to the channel; a message with media is of type media.
func (a *API) renderMessage(r *http.Request, m *parley.Message) messageJSON {
	out := messageJSON{SID: m.SID, AccountSID: m.AccountSID, Attributes: m.Attributes, ServiceSID: m.ServiceSID,
		To: m.ConversationSID, ChannelSID: m.ConversationSID, DateCreated: twilioapi.NewTime(m.DateCreated),
		DateUpdated: twilioapi.NewTime(m.DateUpdated), LastUpdatedBy: m.LastUpdatedBy, WasEdited: m.WasEdited,
		From: m.Author, Body: m.Body, Index: m.Index, Type: "text",
		URL: a.channelURL(r, m.ServiceSID, m.ConversationSID) + "/Messages/" + m.SID}
	if len(m.Media) > 0 {
		// Chat shows one media file per message
		// (https://www.twilio.com/docs/chat/rest/message-resource).
		md := m.Media[0]
		out.Type, out.Media = "media", map[string]any{"sid": md.SID, "size": md.Size,
			"content_type": md.ContentType, "filename": md.Filename}
	}
	return out
}

func messageFields(p *twilioapi.Params) parley.MessageFields {
	return parley.MessageFields{Author: p.String("From"), Body: p.String("Body"), Attributes: p.String("Attributes"),
		LastUpdatedBy: p.String("LastUpdatedBy"), DateCreated: p.Time("DateCreated"), DateUpdated: p.Time("DateUpdated")}
}

func (a *API) createMessage(w http.ResponseWriter, r *http.Request) error {
	p, err := twilioapi.ParseParams(w, r)
	if err != nil {
		return err
	}
	f := messageFields(p)
	f.MediaSID = p.String("MediaSid")
	if err := p.Err(); err != nil {
		return err
	}
	m, err := a.app.CreateMessage(r.Context(), service(r), r.PathValue("ChannelSid"), f)
	return respond(w, http.StatusCreated, m, err, func(m *parley.Message) messageJSON { return a.renderMessage(r, m) })
}

func (a *API) fetchMessage(w http.ResponseWriter, r *http.Request) error {
	m, err := a.app.Message(r.Context(), service(r), r.PathValue("ChannelSid"), r.PathValue("Sid"))
	return respond(w, http.StatusOK, m, err, func(m *parley.Message) messageJSON { return a.renderMessage(r, m) })
}

func (a *API) listMessages(w http.ResponseWriter, r *http.Request) error {
	p, pg, err := twilioapi.ParseList(w, r, maxPageSize)
	if err != nil {
		return err
	}
	if order := p.String("Order"); order != nil {
		if *order != "asc" && *order != "desc" {
			return parley.Errorf(parley.CodeInvalidParameter, "Order must be asc or desc")
		}
		pg.Request.Desc = *order == "desc"
	}
	page, err := a.app.ListMessages(r.Context(), service(r), r.PathValue("ChannelSid"), pg.Request)
	if err != nil {
		return err
	}
	twilioapi.WriteList(w, r, a.publicURL, pg, "messages", page.Items, page.More, func(m *parley.Message) int64 { return m.Index },
		func(m *parley.Message) messageJSON { return a.renderMessage(r, m) })
	return nil
}

func (a *API) updateMessage(w http.ResponseWriter, r *http.Request) error {
	p, err := twilioapi.ParseParams(w, r)
	if err != nil {
		return err
	}
	f := messageFields(p)
	if err := p.Err(); err != nil {
		return err
	}
	m, err := a.app.UpdateMessage(r.Context(), service(r), r.PathValue("ChannelSid"), r.PathValue("Sid"), f)
	return respond(w, http.StatusOK, m, err, func(m *parley.Message) messageJSON { return a.renderMessage(r, m) })
}

func (a *API) deleteMessage(w http.ResponseWriter, r *http.Request) error {
	return twilioapi.NoContent(w, a.app.DeleteMessage(r.Context(), service(r), r.PathValue("ChannelSid"), r.PathValue("Sid")))
}
