package chat

import (
	"net/http"
	"strings"

	parley "github.com/parley-dev/parley"
	"github.com/parley-dev/parley/internal/twilioapi"
)

// A User Channel is Chat's view of a user's participation: the same
// membership Conversations shows as a User Conversation, through the same
// operations (unread count included). last_consumed_message_index is the
// participant's last_read_message_index.

// channelJoined is the status of a participation; invitations are Chat's
// other status, served by the invites resource.
const channelJoined = "joined"

type userChannelJSON struct {
	AccountSID               string            `json:"account_sid"`
	ServiceSID               string            `json:"service_sid"`
	ChannelSID               string            `json:"channel_sid"`
	UserSID                  *string           `json:"user_sid"`
	MemberSID                string            `json:"member_sid"`
	Status                   string            `json:"status"`
	LastConsumedMessageIndex *int64            `json:"last_consumed_message_index"`
	UnreadMessagesCount      *int64            `json:"unread_messages_count"`
	Links                    map[string]string `json:"links"`
	URL                      string            `json:"url"`
	NotificationLevel        string            `json:"notification_level"`
}

func (a *API) renderUserChannel(r *http.Request, m *parley.Membership) userChannelJSON {
	c, p := m.Conversation, m.Participant
	channel := a.serviceURL(r) + "/Channels/" + c.SID
	return userChannelJSON{AccountSID: c.AccountSID, ServiceSID: c.ServiceSID, ChannelSID: c.SID, UserSID: m.UserSID,
		MemberSID: p.SID, Status: channelJoined, LastConsumedMessageIndex: p.LastReadMessageIndex,
		UnreadMessagesCount: m.UnreadMessagesCount, NotificationLevel: m.NotificationLevel,
		URL:   a.serviceURL(r) + "/Users/" + *m.UserSID + "/Channels/" + c.SID,
		Links: map[string]string{"channel": channel, "member": channel + "/Members/" + p.SID}}
}

func (a *API) listUserChannels(w http.ResponseWriter, r *http.Request) error {
	_, pg, err := twilioapi.ParseList(w, r, maxDeliveryPageSize)
	if err != nil {
		return err
	}
	page, err := a.app.ListUserConversations(r.Context(), twilioapi.Account(r), service(r), r.PathValue("UserSid"), pg.Request)
	if err != nil {
		return err
	}
	twilioapi.WriteList(w, r, a.publicURL, pg, "channels", page.Items, page.More, func(m *parley.Membership) int64 { return m.Participant.Seq },
		func(m *parley.Membership) userChannelJSON { return a.renderUserChannel(r, m) })
	return nil
}

func (a *API) fetchUserChannel(w http.ResponseWriter, r *http.Request) error {
	m, err := a.app.UserConversation(r.Context(), twilioapi.Account(r), service(r), r.PathValue("UserSid"), r.PathValue("ChannelSid"))
	return twilioapi.Reply(w, http.StatusOK, err, func() any { return a.renderUserChannel(r, m) })
}

// userChannelFields reads a User Channel update in Chat's names.
// LastConsumedMessageIndex is nullable: an empty value (or "null") clears
// the consumption horizon.
func userChannelFields(p *twilioapi.Params) parley.MembershipFields {
	f := parley.MembershipFields{NotificationLevel: p.String("NotificationLevel"),
		LastReadTimestamp: p.Time("LastConsumptionTimestamp")}
	if v := p.String("LastConsumedMessageIndex"); v != nil && (strings.TrimSpace(*v) == "" || *v == "null") {
		f.ClearLastRead = true
	} else {
		f.LastReadMessageIndex = p.Int("LastConsumedMessageIndex")
	}
	return f
}

func (a *API) updateUserChannel(w http.ResponseWriter, r *http.Request) error {
	p, err := twilioapi.ParseParams(w, r)
	if err != nil {
		return err
	}
	f := userChannelFields(p)
	if err := p.Err(); err != nil {
		return err
	}
	m, err := a.app.UpdateUserConversation(r.Context(), twilioapi.Account(r), service(r), r.PathValue("UserSid"), r.PathValue("ChannelSid"), f)
	return twilioapi.Reply(w, http.StatusOK, err, func() any { return a.renderUserChannel(r, m) })
}

// deleteUserChannel makes the user leave the channel. X-Twilio-Webhook-Enabled
// is accepted and has no effect until Chat webhooks exist.
func (a *API) deleteUserChannel(w http.ResponseWriter, r *http.Request) error {
	err := a.app.LeaveConversation(r.Context(), twilioapi.Account(r), service(r), r.PathValue("UserSid"), r.PathValue("ChannelSid"))
	if err != nil {
		return err
	}
	return twilioapi.NoContent(w, nil)
}
