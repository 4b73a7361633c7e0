package client

import (
	"net/http"

	parley "github.com/parley-dev/parley"
	"github.com/parley-dev/parley/internal/twilioapi"
)

// conversationJSON is a conversation as the SDK reads it from a create or
// fetch (reference §2.3): createConversation needs sid, url, links
// (participants and messages) and the document's name; the fetch adds the
// counts and the caller's status.
type conversationJSON struct {
	SID               string            `json:"sid"`
	URL               string            `json:"url"`
	Links             map[string]string `json:"links"`
	Status            string            `json:"status"`
	ParticipantsCount int64             `json:"participants_count"`
	MessagesCount     int64             `json:"messages_count"`
	conversationFields
}

// Statuses of the caller in a conversation, as the SDK names them.
const (
	statusJoined           = "joined"
	statusNotParticipating = "notParticipating"
)

func (a *API) renderConversation(r *http.Request, c *parley.Conversation, status string) conversationJSON {
	self := a.base(r) + "/Client/v2/Conversations/" + c.SID
	return conversationJSON{SID: c.SID, URL: self,
		Links:  map[string]string{"participants": self + "/Participants", "messages": self + "/Messages"},
		Status: status, ParticipantsCount: c.MembersCount, MessagesCount: c.MessagesCount,
		conversationFields: renderConversationFields(c)}
}

// conversationBody is what createConversation and the conversation's
// update methods send; attributes is a JSON string.
type conversationBody struct {
	FriendlyName *string `json:"friendly_name"`
	UniqueName   *string `json:"unique_name"`
	Attributes   *string `json:"attributes"`
}

func (b conversationBody) fields() parley.ConversationFields {
	return parley.ConversationFields{FriendlyName: b.FriendlyName, UniqueName: b.UniqueName, Attributes: b.Attributes}
}

// createConversation creates a conversation the caller does not yet take
// part in: the SDK joins with a second call, as Twilio's does.
func (a *API) createConversation(w http.ResponseWriter, r *http.Request, c *parley.Caller) error {
	var b conversationBody
	if err := decode(r, &b); err != nil {
		return err
	}
	f := b.fields()
	f.CreatedBy = &c.Identity
	conv, err := a.app.CreateConversation(r.Context(), c.ServiceSID, f)
	return twilioapi.Reply(w, http.StatusCreated, err, func() any { return a.renderConversation(r, conv, statusNotParticipating) })
}

func (a *API) fetchConversation(w http.ResponseWriter, r *http.Request, c *parley.Caller) error {
	conv, err := a.app.Conversation(r.Context(), c.ServiceSID, r.PathValue("sid"))
	if err != nil {
		return err
	}
	status := statusJoined
	if _, err := a.app.Participant(r.Context(), c.ServiceSID, conv.SID, c.Identity); parley.IsNotFound(err) {
		status = statusNotParticipating
	} else if err != nil {
		return err
	}
	twilioapi.WriteJSON(w, http.StatusOK, a.renderConversation(r, conv, status))
	return nil
}

func (a *API) updateConversation(w http.ResponseWriter, r *http.Request, c *parley.Caller) error {
	var b conversationBody
	if err := decode(r, &b); err != nil {
		return err
	}
	conv, err := a.app.UpdateConversation(r.Context(), c.ServiceSID, r.PathValue("sid"), b.fields())
	return twilioapi.Reply(w, http.StatusOK, err, func() any { return a.renderConversation(r, conv, statusJoined) })
}

func (a *API) deleteConversation(w http.ResponseWriter, r *http.Request, c *parley.Caller) error {
	err := a.app.DeleteConversation(r.Context(), c.ServiceSID, r.PathValue("sid"))
	return twilioapi.Reply(w, http.StatusOK, err, func() any { return struct{}{} })
}
