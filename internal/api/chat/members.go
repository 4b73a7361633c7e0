package chat

import (
	"net/http"

	parley "github.com/parley-dev/parley"
	"github.com/parley-dev/parley/internal/twilioapi"
)

type memberJSON struct {
	SID                      string          `json:"sid"`
	AccountSID               string          `json:"account_sid"`
	ChannelSID               string          `json:"channel_sid"`
	ServiceSID               string          `json:"service_sid"`
	Identity                 *string         `json:"identity"`
	DateCreated              twilioapi.Time  `json:"date_created"`
	DateUpdated              twilioapi.Time  `json:"date_updated"`
	RoleSID                  *string         `json:"role_sid"`
	LastConsumedMessageIndex *int64          `json:"last_consumed_message_index"`
	LastConsumptionTimestamp *twilioapi.Time `json:"last_consumption_timestamp"`
	URL                      string          `json:"url"`
	Attributes               string          `json:"attributes"`
}

// renderMember renders a participant as a Chat member: the consumption
// horizon is the participant's read horizon.
func (a *API) renderMember(r *http.Request, p *parley.Participant) memberJSON {
	return memberJSON{SID: p.SID, AccountSID: p.AccountSID, ChannelSID: p.ConversationSID, ServiceSID: p.ServiceSID,
		Identity: p.Identity, DateCreated: twilioapi.NewTime(p.DateCreated), DateUpdated: twilioapi.NewTime(p.DateUpdated),
		RoleSID: p.RoleSID, LastConsumedMessageIndex: p.LastReadMessageIndex,
		LastConsumptionTimestamp: twilioapi.OptTime(p.LastReadTimestamp),
		URL:                      a.channelURL(r, p.ServiceSID, p.ConversationSID) + "/Members/" + p.SID, Attributes: p.Attributes}
}

func memberFields(p *twilioapi.Params) parley.ParticipantFields {
	return parley.ParticipantFields{RoleSID: p.String("RoleSid"), Attributes: p.String("Attributes"),
		LastReadMessageIndex: p.Int("LastConsumedMessageIndex"), LastReadTimestamp: p.Time("LastConsumptionTimestamp"),
		DateCreated: p.Time("DateCreated"), DateUpdated: p.Time("DateUpdated")}
}

func (a *API) createMember(w http.ResponseWriter, r *http.Request) error {
	p, err := twilioapi.ParseParams(w, r)
	if err != nil {
		return err
	}
	f := memberFields(p)
	f.Identity = p.String("Identity")
	if err := p.Err(); err != nil {
		return err
	}
	m, err := a.app.AddMember(r.Context(), service(r), r.PathValue("ChannelSid"), f)
	return respond(w, http.StatusCreated, m, err, func(m *parley.Participant) memberJSON { return a.renderMember(r, m) })
}

func (a *API) fetchMember(w http.ResponseWriter, r *http.Request) error {
	m, err := a.app.Participant(r.Context(), service(r), r.PathValue("ChannelSid"), r.PathValue("Sid"))
	return respond(w, http.StatusOK, m, err, func(m *parley.Participant) memberJSON { return a.renderMember(r, m) })
}

func (a *API) listMembers(w http.ResponseWriter, r *http.Request) error {
	p, pg, err := twilioapi.ParseList(w, r, maxPageSize)
	if err != nil {
		return err
	}
	page, err := a.app.ListMembers(r.Context(), service(r), r.PathValue("ChannelSid"),
		p.Strings("Identity"), pg.Request)
	if err != nil {
		return err
	}
	twilioapi.WriteList(w, r, a.publicURL, pg, "members", page.Items, page.More, func(m *parley.Participant) int64 { return m.Seq },
		func(m *parley.Participant) memberJSON { return a.renderMember(r, m) })
	return nil
}

func (a *API) updateMember(w http.ResponseWriter, r *http.Request) error {
	p, err := twilioapi.ParseParams(w, r)
	if err != nil {
		return err
	}
	f := memberFields(p)
	if err := p.Err(); err != nil {
		return err
	}
	m, err := a.app.UpdateParticipant(r.Context(), service(r), r.PathValue("ChannelSid"), r.PathValue("Sid"), f)
	return respond(w, http.StatusOK, m, err, func(m *parley.Participant) memberJSON { return a.renderMember(r, m) })
}

func (a *API) deleteMember(w http.ResponseWriter, r *http.Request) error {
	return twilioapi.NoContent(w, a.app.RemoveParticipant(r.Context(), service(r), r.PathValue("ChannelSid"), r.PathValue("Sid")))
}
