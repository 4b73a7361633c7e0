package client

import (
	"net/http"

	parley "github.com/parley-dev/parley"
	"github.com/parley-dev/parley/internal/twilioapi"
)

// participantJSON answers a participant write; the SDK learns the roster
// from its Sync map, not from this body.
type participantJSON struct {
	SID             string         `json:"sid"`
	ConversationSID string         `json:"conversation_sid"`
	Identity        *string        `json:"identity"`
	Attributes      string         `json:"attributes"`
	RoleSID         *string        `json:"role_sid"`
	DateCreated     twilioapi.Time `json:"date_created"`
	DateUpdated     twilioapi.Time `json:"date_updated"`
}

func renderParticipant(p *parley.Participant) participantJSON {
	return participantJSON{SID: p.SID, ConversationSID: p.ConversationSID, Identity: p.Identity, Attributes: p.Attributes,
		RoleSID: p.RoleSID, DateCreated: twilioapi.NewTime(p.DateCreated), DateUpdated: twilioapi.NewTime(p.DateUpdated)}
}

// participantBody is what join, add, addNonChatParticipant and a
// participant's updateAttributes send.
type participantBody struct {
	Identity         *string `json:"identity"`
	Attributes       *string `json:"attributes"`
	MessagingBinding *struct {
		Address      *string `json:"address"`
		ProxyAddress *string `json:"proxy_address"`
	} `json:"messaging_binding"`
}

func (a *API) addParticipant(w http.ResponseWriter, r *http.Request, c *parley.Caller) error {
	var b participantBody
	if err := decode(r, &b); err != nil {
		return err
	}
	f := parley.ParticipantFields{Identity: b.Identity, Attributes: b.Attributes}
	if mb := b.MessagingBinding; mb != nil {
		f.Address, f.ProxyAddress = mb.Address, mb.ProxyAddress
	}
	p, err := a.app.AddParticipant(r.Context(), c.ServiceSID, r.PathValue("sid"), f)
	return twilioapi.Reply(w, http.StatusCreated, err, func() any { return renderParticipant(p) })
}

// updateParticipant changes attributes only: role and identity are the
// application server's to change, over REST.
func (a *API) updateParticipant(w http.ResponseWriter, r *http.Request, c *parley.Caller) error {
	var b participantBody
	if err := decode(r, &b); err != nil {
		return err
	}
	p, err := a.app.UpdateParticipant(r.Context(), c.ServiceSID, r.PathValue("sid"), r.PathValue("id"),
		parley.ParticipantFields{Attributes: b.Attributes})
	return twilioapi.Reply(w, http.StatusOK, err, func() any { return renderParticipant(p) })
}

// removeParticipant is leave (the caller's own identity) and
// removeParticipant (an identity or SID).
func (a *API) removeParticipant(w http.ResponseWriter, r *http.Request, c *parley.Caller) error {
	err := a.app.RemoveParticipant(r.Context(), c.ServiceSID, r.PathValue("sid"), r.PathValue("id"))
	return twilioapi.Reply(w, http.StatusOK, err, func() any { return struct{}{} })
}
