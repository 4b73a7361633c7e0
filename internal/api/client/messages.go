package client

import (
	"net/http"

	parley "github.com/parley-dev/parley"
	"github.com/parley-dev/parley/internal/twilioapi"
)

// messageJSON answers a message write; sendMessage resolves to index.
type messageJSON struct {
	SID             string         `json:"sid"`
	ConversationSID string         `json:"conversation_sid"`
	Index           int64          `json:"index"`
	Author          string         `json:"author"`
	Body            *string        `json:"body"`
	Attributes      string         `json:"attributes"`
	ParticipantSID  *string        `json:"participant_sid"`
	DateCreated     twilioapi.Time `json:"date_created"`
	DateUpdated     twilioapi.Time `json:"date_updated"`
}

func renderMessage(m *parley.Message) messageJSON {
	return messageJSON{SID: m.SID, ConversationSID: m.ConversationSID, Index: m.Index, Author: m.Author, Body: m.Body,
		Attributes: m.Attributes, ParticipantSID: m.ParticipantSID, DateCreated: twilioapi.NewTime(m.DateCreated),
		DateUpdated: twilioapi.NewTime(m.DateUpdated)}
}

// messageBody is what sendMessage, prepareMessage().send() and a message's
// updateBody/updateAttributes send.
type messageBody struct {
	Body       *string  `json:"body"`
	Attributes *string  `json:"attributes"`
	Subject    *string  `json:"subject"`
	MediaSIDs  []string `json:"media_sids"`
	ContentSID *string  `json:"content_sid"`
}

func (b messageBody) fields() parley.MessageFields {
	return parley.MessageFields{Body: b.Body, Attributes: b.Attributes, Subject: b.Subject, ContentSID: b.ContentSID,
		MediaSIDs: b.MediaSIDs}
}

// sendMessage posts as the caller: the author is the token's identity,
// whatever the body says.
func (a *API) sendMessage(w http.ResponseWriter, r *http.Request, c *parley.Caller) error {
	var b messageBody
	if err := decode(r, &b); err != nil {
		return err
	}
	f := b.fields()
	f.Author = &c.Identity
	m, err := a.app.CreateMessage(r.Context(), c.ServiceSID, r.PathValue("sid"), f)
	return twilioapi.Reply(w, http.StatusCreated, err, func() any { return renderMessage(m) })
}

// updateMessage changes body or attributes and records the caller as the
// last editor.
func (a *API) updateMessage(w http.ResponseWriter, r *http.Request, c *parley.Caller) error {
	var b messageBody
	if err := decode(r, &b); err != nil {
		return err
	}
	f := parley.MessageFields{Body: b.Body, Attributes: b.Attributes, LastUpdatedBy: &c.Identity}
	m, err := a.app.UpdateMessage(r.Context(), c.ServiceSID, r.PathValue("sid"), r.PathValue("msid"), f)
	return twilioapi.Reply(w, http.StatusOK, err, func() any { return renderMessage(m) })
}

func (a *API) deleteMessage(w http.ResponseWriter, r *http.Request, c *parley.Caller) error {
	err := a.app.DeleteMessage(r.Context(), c.ServiceSID, r.PathValue("sid"), r.PathValue("msid"))
	return twilioapi.Reply(w, http.StatusOK, err, func() any { return struct{}{} })
}
