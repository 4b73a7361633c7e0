package client

import (
	"net/http"
	"net/url"
	"strconv"

	parley "github.com/parley-dev/parley"
	"github.com/parley-dev/parley/internal/syncview"
	"github.com/parley-dev/parley/internal/twilioapi"
)

// myConversationJSON is the caller's participation in one conversation
// (reference §2.3): the SDK reads its Sync objects and read state.
type myConversationJSON struct {
	ConversationSID      string `json:"conversation_sid"`
	Status               string `json:"status"`
	LastReadMessageIndex *int64 `json:"last_read_message_index"`
	UnreadMessagesCount  *int64 `json:"unread_messages_count,omitempty"`
	NotificationLevel    string `json:"notification_level"`
	conversationFields
}

// conversationFields are what the SDK reads of a conversation wherever
// the client API shows one.
type conversationFields struct {
	FriendlyName *string           `json:"friendly_name"`
	UniqueName   *string           `json:"unique_name"`
	Attributes   string            `json:"attributes"`
	CreatedBy    string            `json:"created_by"`
	DateCreated  twilioapi.Time    `json:"date_created"`
	DateUpdated  twilioapi.Time    `json:"date_updated"`
	SyncObjects  map[string]string `json:"sync_objects"`
}

func renderConversationFields(c *parley.Conversation) conversationFields {
	createdBy := "system"
	if c.CreatedBy != nil {
		createdBy = *c.CreatedBy
	}
	return conversationFields{FriendlyName: c.FriendlyName, UniqueName: c.UniqueName, Attributes: c.Attributes,
		CreatedBy: createdBy, DateCreated: twilioapi.NewTime(c.DateCreated), DateUpdated: twilioapi.NewTime(c.DateUpdated),
		SyncObjects: map[string]string{"conversation": syncview.ConversationDocument(c.SID),
			"messages": syncview.MessagesList(c.SID), "participants": syncview.RosterMap(c.SID)}}
}

func renderMyConversation(m *parley.Membership) myConversationJSON {
	return myConversationJSON{ConversationSID: m.Conversation.SID, Status: statusJoined,
		LastReadMessageIndex: m.Participant.LastReadMessageIndex, UnreadMessagesCount: m.UnreadMessagesCount,
		NotificationLevel: m.NotificationLevel, conversationFields: renderConversationFields(m.Conversation)}
}

type myConversationsPage struct {
	Conversations []myConversationJSON `json:"conversations"`
	Meta          struct {
		NextToken *string `json:"next_token"`
	} `json:"meta"`
}

// myConversationsPageSize is the page the SDK walks at login, following
// next_token until it is null.
const myConversationsPageSize = 100

func (a *API) listMyConversations(w http.ResponseWriter, r *http.Request, c *parley.Caller) error {
	pr := parley.PageRequest{Size: myConversationsPageSize}
	if t := r.URL.Query().Get("PageToken"); t != "" {
		after, err := strconv.ParseInt(t, 10, 64)
		if err != nil {
			return parley.Errorf(parley.CodeInvalidParameter, "Invalid PageToken")
		}
		pr.After = &after
	}
	identity := c.Identity
	page, err := a.app.ListParticipantConversations(r.Context(), c.ServiceSID, parley.MembershipFilter{Identity: &identity}, pr)
	if err != nil {
		return err
	}
	out := myConversationsPage{Conversations: []myConversationJSON{}}
	for _, m := range page.Items {
		out.Conversations = append(out.Conversations, renderMyConversation(m))
	}
	if page.More && len(page.Items) > 0 {
		// The token is the last participation's position: stable while
		// conversations are joined and left between pages.
		next := strconv.FormatInt(page.Items[len(page.Items)-1].Participant.Seq, 10)
		out.Meta.NextToken = &next
	}
	twilioapi.WriteJSON(w, http.StatusOK, out)
	return nil
}

// fetchMyConversation answers my_conversations/<sid or unique name>, with
// the unread count.
func (a *API) fetchMyConversation(w http.ResponseWriter, r *http.Request, c *parley.Caller) error {
	m, err := a.app.UserConversation(r.Context(), c.ServiceSID, c.UserSID, r.PathValue("id"))
	return twilioapi.Reply(w, http.StatusOK, err, func() any { return renderMyConversation(m) })
}

// userJSON is a user as the SDK's getUser reads it.
type userJSON struct {
	SID          string            `json:"sid"`
	Identity     string            `json:"identity"`
	FriendlyName *string           `json:"friendly_name"`
	Attributes   string            `json:"attributes"`
	DateCreated  twilioapi.Time    `json:"date_created"`
	DateUpdated  twilioapi.Time    `json:"date_updated"`
	URL          string            `json:"url"`
	SyncObjects  map[string]string `json:"sync_objects"`
}

func (a *API) fetchUser(w http.ResponseWriter, r *http.Request, c *parley.Caller) error {
	u, err := a.app.User(r.Context(), c.ServiceSID, r.PathValue("identity"))
	return twilioapi.Reply(w, http.StatusOK, err, func() any { return a.renderUser(r, u) })
}

func (a *API) renderUser(r *http.Request, u *parley.User) userJSON {
	return userJSON{SID: u.SID, Identity: u.Identity, FriendlyName: u.FriendlyName, Attributes: u.Attributes,
		DateCreated: twilioapi.NewTime(u.DateCreated), DateUpdated: twilioapi.NewTime(u.DateUpdated),
		URL:         a.base(r) + "/Client/v2/Users/" + url.PathEscape(u.Identity),
		SyncObjects: map[string]string{"user_info_map": syncview.UserInfoMap(u.SID)}}
}
