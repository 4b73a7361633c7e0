package conversations

import (
	"net/http"

	parley "github.com/parley-dev/parley"
	"github.com/parley-dev/parley/internal/twilioapi"
)

type mediaJSON struct {
	SID         string  `json:"sid"`
	ContentType string  `json:"content_type"`
	Filename    *string `json:"filename"`
	Category    string  `json:"category"`
	Size        int64   `json:"size"`
}

type messageJSON struct {
	AccountSID      string            `json:"account_sid"`
	ChatServiceSID  *string           `json:"chat_service_sid,omitempty"`
	ConversationSID string            `json:"conversation_sid"`
	SID             string            `json:"sid"`
	Index           int64             `json:"index"`
	Author          string            `json:"author"`
	Body            *string           `json:"body"`
	Media           []mediaJSON       `json:"media"`
	Attributes      string            `json:"attributes"`
	ParticipantSID  *string           `json:"participant_sid"`
	DateCreated     twilioapi.Time    `json:"date_created"`
	DateUpdated     *twilioapi.Time   `json:"date_updated"`
	URL             string            `json:"url"`
	Delivery        any               `json:"delivery"`
	Links           map[string]string `json:"links"`
	ContentSID      *string           `json:"content_sid"`
}

func (a *API) renderMessage(r *http.Request, m *parley.Message) messageJSON {
	url := a.root(r) + "/Conversations/" + m.ConversationSID + "/Messages/" + m.SID
	out := messageJSON{AccountSID: m.AccountSID, ConversationSID: m.ConversationSID, SID: m.SID, Index: m.Index,
		Author: m.Author, Body: m.Body, Attributes: m.Attributes, ParticipantSID: m.ParticipantSID,
		DateCreated: twilioapi.NewTime(m.DateCreated), DateUpdated: messageDateUpdated(m), URL: url,
		// delivery stays null while a conversation has only chat participants.
		Links:      map[string]string{"delivery_receipts": url + "/Receipts", "channel_metadata": url + "/ChannelMetadata"},
		ContentSID: m.ContentSID}
	for _, md := range m.Media {
		out.Media = append(out.Media, mediaJSON(md))
	}
	if serviceSID(r) != "" {
		out.ChatServiceSID = &m.ServiceSID
	}
	return out
}

func messageFields(p *twilioapi.Params) parley.MessageFields {
	return parley.MessageFields{
		Author:           p.String("Author"),
		Body:             p.String("Body"),
		Attributes:       p.String("Attributes"),
		MediaSID:         p.String("MediaSid"),
		ContentSID:       p.String("ContentSid"),
		ContentVariables: p.String("ContentVariables"),
		Subject:          p.String("Subject"),
		DateCreated:      p.Time("DateCreated"),
		DateUpdated:      p.Time("DateUpdated"),
	}
}

func (a *API) createMessage(w http.ResponseWriter, r *http.Request) error {
	p, err := twilioapi.ParseParams(w, r)
	if err != nil {
		return err
	}
	f := messageFields(p)
	if err := p.Err(); err != nil {
		return err
	}
	m, err := a.app.CreateMessage(r.Context(), serviceSID(r), r.PathValue("ConversationSid"), f)
	return twilioapi.Reply(w, http.StatusCreated, err, func() any { return a.renderMessage(r, m) })
}

func (a *API) fetchMessage(w http.ResponseWriter, r *http.Request) error {
	m, err := a.app.Message(r.Context(), serviceSID(r), r.PathValue("ConversationSid"), r.PathValue("Sid"))
	if err != nil {
		return err
	}
	out, err := a.renderMessages(r, []*parley.Message{m})
	return twilioapi.Reply(w, http.StatusOK, err, func() any { return out[0] })
}

func (a *API) listMessages(w http.ResponseWriter, r *http.Request) error {
	p, pg, err := twilioapi.ParseList(w, r, maxPageSize)
	if err != nil {
		return err
	}
	if order := p.String("Order"); order != nil {
		switch *order {
		case "asc":
		case "desc":
			pg.Request.Desc = true
		default:
			return parley.Errorf(parley.CodeInvalidParameter, "Order must be asc or desc")
		}
	}
	page, err := a.app.ListMessages(r.Context(), serviceSID(r), r.PathValue("ConversationSid"), pg.Request)
	if err != nil {
		return err
	}
	rendered, err := a.renderMessages(r, page.Items)
	if err != nil {
		return err
	}
	byIndex := make(map[int64]messageJSON, len(rendered))
	for _, m := range rendered {
		byIndex[m.Index] = m
	}
	twilioapi.WriteList(w, r, a.publicURL, pg, "messages", page.Items, page.More, func(m *parley.Message) int64 { return m.Index },
		func(m *parley.Message) messageJSON { return byIndex[m.Index] })
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
	m, err := a.app.UpdateMessage(r.Context(), serviceSID(r), r.PathValue("ConversationSid"), r.PathValue("Sid"), f)
	return twilioapi.Reply(w, http.StatusOK, err, func() any { return a.renderMessage(r, m) })
}

func (a *API) deleteMessage(w http.ResponseWriter, r *http.Request) error {
	if err := a.app.DeleteMessage(r.Context(), serviceSID(r), r.PathValue("ConversationSid"), r.PathValue("Sid")); err != nil {
		return err
	}
	return twilioapi.NoContent(w, nil)
}

// messageDateUpdated is null until the message is changed after it was
// created. Twilio's pages disagree: the Message resource's field table and
// the OpenAPI spec say "`null` if the message has not been edited"
// (https://www.twilio.com/docs/conversations/api/conversation-message-resource),
// while that page's example responses show date_updated equal to
// date_created. Parley follows the field's definition, which the spec
// marks nullable; Chat documents no null and keeps its date_updated.
func messageDateUpdated(m *parley.Message) *twilioapi.Time {
	if m.DateUpdated.Equal(m.DateCreated) {
		return nil
	}
	t := twilioapi.NewTime(m.DateUpdated)
	return &t
}
