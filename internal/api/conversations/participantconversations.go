package conversations

import (
	"net/http"

	parley "github.com/parley-dev/parley"
	"github.com/parley-dev/parley/internal/twilioapi"
)

type participantConversationJSON struct {
	AccountSID                  string            `json:"account_sid"`
	ChatServiceSID              string            `json:"chat_service_sid"`
	ParticipantSID              string            `json:"participant_sid"`
	ParticipantUserSID          *string           `json:"participant_user_sid"`
	ParticipantIdentity         *string           `json:"participant_identity"`
	ParticipantMessagingBinding *bindingJSON      `json:"participant_messaging_binding"`
	ConversationSID             string            `json:"conversation_sid"`
	ConversationUniqueName      *string           `json:"conversation_unique_name"`
	ConversationFriendlyName    *string           `json:"conversation_friendly_name"`
	ConversationAttributes      string            `json:"conversation_attributes"`
	ConversationDateCreated     twilioapi.Time    `json:"conversation_date_created"`
	ConversationDateUpdated     twilioapi.Time    `json:"conversation_date_updated"`
	ConversationCreatedBy       string            `json:"conversation_created_by"`
	ConversationState           string            `json:"conversation_state"`
	ConversationTimers          timersJSON        `json:"conversation_timers"`
	Links                       map[string]string `json:"links"`
}

func (a *API) renderParticipantConversation(r *http.Request, m *parley.Membership) participantConversationJSON {
	c, p := m.Conversation, m.Participant
	out := participantConversationJSON{AccountSID: c.AccountSID, ChatServiceSID: c.ServiceSID, ParticipantSID: p.SID,
		ParticipantUserSID: m.UserSID, ParticipantIdentity: p.Identity, ConversationSID: c.SID,
		ConversationUniqueName: c.UniqueName, ConversationFriendlyName: c.FriendlyName, ConversationAttributes: c.Attributes,
		ConversationDateCreated: twilioapi.NewTime(c.DateCreated), ConversationDateUpdated: twilioapi.NewTime(c.DateUpdated),
		ConversationCreatedBy: createdBy, ConversationState: c.State,
		ConversationTimers: timersJSON{DateInactive: twilioapi.OptTime(c.DateInactive), DateClosed: twilioapi.OptTime(c.DateClosed)},
		Links:              a.membershipLinks(r, m)}
	if b := p.MessagingBinding; b != nil {
		out.ParticipantMessagingBinding = &bindingJSON{Type: b.Type, Address: b.Address, ProxyAddress: b.ProxyAddress, ProjectedAddress: b.ProjectedAddress}
	}
	return out
}

func (a *API) listParticipantConversations(w http.ResponseWriter, r *http.Request) error {
	p, pg, err := accessParams(w, r)
	if err != nil {
		return err
	}
	f := parley.MembershipFilter{Identity: p.String("Identity"), Address: p.String("Address")}
	page, err := a.app.ListParticipantConversations(r.Context(), serviceSID(r), f, pg.Request)
	if err != nil {
		return err
	}
	twilioapi.WriteList(w, r, a.publicURL, pg, "conversations", page.Items, page.More, membershipKey,
		func(m *parley.Membership) participantConversationJSON { return a.renderParticipantConversation(r, m) })
	return nil
}
