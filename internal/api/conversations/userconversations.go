package conversations

import (
	"net/http"
	"strings"

	parley "github.com/parley-dev/parley"
	"github.com/parley-dev/parley/internal/twilioapi"
)

// createdBy is the creator Twilio reports for conversations made through the
// REST API with account credentials ("system", as Chat's created_by does; see
// the Chat/Conversations field mapping in the project reference). Every
// conversation Parley creates today is made that way; SDK-created
// conversations will need their creator's identity stored.
const createdBy = "system"

type userConversationJSON struct {
	AccountSID           string            `json:"account_sid"`
	ChatServiceSID       string            `json:"chat_service_sid"`
	ConversationSID      string            `json:"conversation_sid"`
	UnreadMessagesCount  *int64            `json:"unread_messages_count"`
	LastReadMessageIndex *int64            `json:"last_read_message_index"`
	ParticipantSID       string            `json:"participant_sid"`
	UserSID              *string           `json:"user_sid"`
	FriendlyName         *string           `json:"friendly_name"`
	ConversationState    string            `json:"conversation_state"`
	Timers               timersJSON        `json:"timers"`
	Attributes           string            `json:"attributes"`
	DateCreated          twilioapi.Time    `json:"date_created"`
	DateUpdated          twilioapi.Time    `json:"date_updated"`
	CreatedBy            string            `json:"created_by"`
	NotificationLevel    string            `json:"notification_level"`
	UniqueName           *string           `json:"unique_name"`
	URL                  string            `json:"url"`
	Links                map[string]string `json:"links"`
}

// membershipLinks are the participant and conversation URLs both membership
// views link to.
func (a *API) membershipLinks(r *http.Request, m *parley.Membership) map[string]string {
	conv := a.root(r) + "/Conversations/" + m.Conversation.SID
	return map[string]string{"participant": conv + "/Participants/" + m.Participant.SID, "conversation": conv}
}

func (a *API) renderUserConversation(r *http.Request, m *parley.Membership) userConversationJSON {
	c, p := m.Conversation, m.Participant
	url := a.root(r) + "/Users/" + *m.UserSID + "/Conversations/" + c.SID
	return userConversationJSON{AccountSID: c.AccountSID, ChatServiceSID: c.ServiceSID, ConversationSID: c.SID,
		UnreadMessagesCount: m.UnreadMessagesCount, LastReadMessageIndex: p.LastReadMessageIndex,
		ParticipantSID: p.SID, UserSID: m.UserSID, FriendlyName: c.FriendlyName, ConversationState: c.State,
		Timers:     timersJSON{DateInactive: twilioapi.OptTime(c.DateInactive), DateClosed: twilioapi.OptTime(c.DateClosed)},
		Attributes: c.Attributes, DateCreated: twilioapi.NewTime(c.DateCreated), DateUpdated: twilioapi.NewTime(c.DateUpdated),
		CreatedBy: createdBy, NotificationLevel: m.NotificationLevel, UniqueName: c.UniqueName, URL: url,
		Links: a.membershipLinks(r, m)}
}

func (a *API) listUserConversations(w http.ResponseWriter, r *http.Request) error {
	_, pg, err := accessParams(w, r)
	if err != nil {
		return err
	}
	page, err := a.app.ListUserConversations(r.Context(), serviceSID(r), r.PathValue("UserSid"), pg.Request)
	if err != nil {
		return err
	}
	twilioapi.WriteList(w, r, a.publicURL, pg, "conversations", page.Items, page.More, membershipKey,
		func(m *parley.Membership) userConversationJSON { return a.renderUserConversation(r, m) })
	return nil
}

func membershipKey(m *parley.Membership) int64 { return m.Participant.Seq }

func (a *API) fetchUserConversation(w http.ResponseWriter, r *http.Request) error {
	m, err := a.app.UserConversation(r.Context(), serviceSID(r), r.PathValue("UserSid"), r.PathValue("ConversationSid"))
	return twilioapi.Reply(w, http.StatusOK, err, func() any { return a.renderUserConversation(r, m) })
}

// membershipFields reads a User Conversation update. LastReadMessageIndex is
// nullable: an empty value (or "null") clears the read horizon.
func membershipFields(p *twilioapi.Params) parley.MembershipFields {
	f := parley.MembershipFields{NotificationLevel: p.String("NotificationLevel"), LastReadTimestamp: p.Time("LastReadTimestamp")}
	if v := p.String("LastReadMessageIndex"); v != nil && (strings.TrimSpace(*v) == "" || *v == "null") {
		f.ClearLastRead = true
	} else {
		f.LastReadMessageIndex = p.Int("LastReadMessageIndex")
	}
	return f
}

func (a *API) updateUserConversation(w http.ResponseWriter, r *http.Request) error {
	p, err := twilioapi.ParseParams(w, r)
	if err != nil {
		return err
	}
	f := membershipFields(p)
	if err := p.Err(); err != nil {
		return err
	}
	m, err := a.app.UpdateUserConversation(r.Context(), serviceSID(r), r.PathValue("UserSid"), r.PathValue("ConversationSid"), f)
	return twilioapi.Reply(w, http.StatusOK, err, func() any { return a.renderUserConversation(r, m) })
}

func (a *API) deleteUserConversation(w http.ResponseWriter, r *http.Request) error {
	err := a.app.LeaveConversation(r.Context(), serviceSID(r), r.PathValue("UserSid"), r.PathValue("ConversationSid"))
	if err != nil {
		return err
	}
	return twilioapi.NoContent(w, nil)
}
