package conversations

import (
	"net/http"

	parley "github.com/parley-dev/parley"
	"github.com/parley-dev/parley/internal/twilioapi"
)

type bindingJSON struct {
	Type             string  `json:"type"`
	Address          *string `json:"address,omitempty"`
	ProxyAddress     *string `json:"proxy_address,omitempty"`
	ProjectedAddress *string `json:"projected_address,omitempty"`
}

type participantJSON struct {
	AccountSID           string          `json:"account_sid"`
	ConversationSID      string          `json:"conversation_sid"`
	SID                  string          `json:"sid"`
	Identity             *string         `json:"identity"`
	Attributes           string          `json:"attributes"`
	MessagingBinding     *bindingJSON    `json:"messaging_binding"`
	RoleSID              *string         `json:"role_sid"`
	DateCreated          twilioapi.Time  `json:"date_created"`
	DateUpdated          twilioapi.Time  `json:"date_updated"`
	URL                  string          `json:"url"`
	LastReadMessageIndex *int64          `json:"last_read_message_index"`
	LastReadTimestamp    *twilioapi.Time `json:"last_read_timestamp"`
	ChatServiceSID       *string         `json:"chat_service_sid,omitempty"`
}

func (a *API) renderParticipant(r *http.Request, p *parley.Participant) participantJSON {
	out := participantJSON{AccountSID: p.AccountSID, ConversationSID: p.ConversationSID, SID: p.SID,
		Identity: p.Identity, Attributes: p.Attributes, RoleSID: p.RoleSID,
		DateCreated: twilioapi.NewTime(p.DateCreated), DateUpdated: twilioapi.NewTime(p.DateUpdated),
		URL:                  a.root(r) + "/Conversations/" + p.ConversationSID + "/Participants/" + p.SID,
		LastReadMessageIndex: p.LastReadMessageIndex, LastReadTimestamp: twilioapi.OptTime(p.LastReadTimestamp)}
	if b := p.MessagingBinding; b != nil {
		out.MessagingBinding = &bindingJSON{Type: b.Type, Address: b.Address, ProxyAddress: b.ProxyAddress, ProjectedAddress: b.ProjectedAddress}
	}
	if serviceSID(r) != "" {
		// The service-scoped participant carries its service (spec: service_conversation_participant).
		out.ChatServiceSID = &p.ServiceSID
	}
	return out
}

func participantFields(p *twilioapi.Params) parley.ParticipantFields {
	return parley.ParticipantFields{
		Identity:             p.String("Identity"),
		Attributes:           p.String("Attributes"),
		RoleSID:              p.String("RoleSid"),
		Address:              p.String("MessagingBinding.Address"),
		ProxyAddress:         p.String("MessagingBinding.ProxyAddress"),
		ProjectedAddress:     p.String("MessagingBinding.ProjectedAddress"),
		LastReadMessageIndex: p.Int("LastReadMessageIndex"),
		LastReadTimestamp:    p.Time("LastReadTimestamp"),
		DateCreated:          p.Time("DateCreated"),
		DateUpdated:          p.Time("DateUpdated"),
	}
}

func (a *API) createParticipant(w http.ResponseWriter, r *http.Request) error {
	p, err := twilioapi.ParseParams(w, r)
	if err != nil {
		return err
	}
	f := participantFields(p)
	if err := p.Err(); err != nil {
		return err
	}
	part, err := a.app.AddParticipant(r.Context(), serviceSID(r), r.PathValue("ConversationSid"), f)
	return twilioapi.Reply(w, http.StatusCreated, err, func() any { return a.renderParticipant(r, part) })
}

func (a *API) fetchParticipant(w http.ResponseWriter, r *http.Request) error {
	part, err := a.app.Participant(r.Context(), serviceSID(r), r.PathValue("ConversationSid"), r.PathValue("Sid"))
	return twilioapi.Reply(w, http.StatusOK, err, func() any { return a.renderParticipant(r, part) })
}

func (a *API) listParticipants(w http.ResponseWriter, r *http.Request) error {
	_, pg, err := twilioapi.ParseList(w, r, maxPageSize)
	if err != nil {
		return err
	}
	page, err := a.app.ListParticipants(r.Context(), serviceSID(r), r.PathValue("ConversationSid"), pg.Request)
	if err != nil {
		return err
	}
	twilioapi.WriteList(w, r, a.publicURL, pg, "participants", page.Items, page.More, func(p *parley.Participant) int64 { return p.Seq },
		func(p *parley.Participant) participantJSON { return a.renderParticipant(r, p) })
	return nil
}

func (a *API) updateParticipant(w http.ResponseWriter, r *http.Request) error {
	p, err := twilioapi.ParseParams(w, r)
	if err != nil {
		return err
	}
	f := participantFields(p)
	if err := p.Err(); err != nil {
		return err
	}
	part, err := a.app.UpdateParticipant(r.Context(), serviceSID(r), r.PathValue("ConversationSid"), r.PathValue("Sid"), f)
	return twilioapi.Reply(w, http.StatusOK, err, func() any { return a.renderParticipant(r, part) })
}

func (a *API) deleteParticipant(w http.ResponseWriter, r *http.Request) error {
	err := a.app.RemoveParticipant(r.Context(), serviceSID(r), r.PathValue("ConversationSid"), r.PathValue("Sid"))
	if err != nil {
		return err
	}
	return twilioapi.NoContent(w, nil)
}
