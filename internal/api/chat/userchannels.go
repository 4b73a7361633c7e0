package chat

import (
	"net/http"
	"strings"

	parley "github.com/parley-dev/parley"
	"github.com/parley-dev/parley/internal/twilioapi"
)

// A User Channel is Chat's view of a user's standing in a channel. A joined
// one is the same membership Conversations shows as a User Conversation,
// through the same operations (unread count included);
// last_consumed_message_index is the participant's last_read_message_index.
// An invited one is a pending invite: no member, horizon or unread count.

// The statuses of a user channel.
const (
	channelJoined  = "joined"
	channelInvited = "invited"
)

type userChannelJSON struct {
	AccountSID               string            `json:"account_sid"`
	ServiceSID               string            `json:"service_sid"`
	ChannelSID               string            `json:"channel_sid"`
	UserSID                  string            `json:"user_sid"`
	MemberSID                *string           `json:"member_sid"`
	Status                   string            `json:"status"`
	LastConsumedMessageIndex *int64            `json:"last_consumed_message_index"`
	UnreadMessagesCount      *int64            `json:"unread_messages_count"`
	Links                    map[string]string `json:"links"`
	URL                      string            `json:"url"`
	NotificationLevel        string            `json:"notification_level"`
}

func (a *API) renderUserChannel(r *http.Request, uc *parley.UserChannel) userChannelJSON {
	if inv := uc.Invite; inv != nil {
		channel := a.serviceURL(r) + "/Channels/" + inv.ChannelSID
		return userChannelJSON{AccountSID: inv.AccountSID, ServiceSID: inv.ServiceSID, ChannelSID: inv.ChannelSID,
			UserSID: uc.UserSID, Status: channelInvited, NotificationLevel: parley.NotificationDefault,
			URL:   a.serviceURL(r) + "/Users/" + uc.UserSID + "/Channels/" + inv.ChannelSID,
			Links: map[string]string{"channel": channel}}
	}
	m := uc.Membership
	c, p := m.Conversation, m.Participant
	channel := a.serviceURL(r) + "/Channels/" + c.SID
	return userChannelJSON{AccountSID: c.AccountSID, ServiceSID: c.ServiceSID, ChannelSID: c.SID, UserSID: uc.UserSID,
		MemberSID: &p.SID, Status: channelJoined, LastConsumedMessageIndex: p.LastReadMessageIndex,
		UnreadMessagesCount: m.UnreadMessagesCount, NotificationLevel: m.NotificationLevel,
		URL:   a.serviceURL(r) + "/Users/" + uc.UserSID + "/Channels/" + c.SID,
		Links: map[string]string{"channel": channel, "member": channel + "/Members/" + p.SID}}
}

func (a *API) listUserChannels(w http.ResponseWriter, r *http.Request) error {
	_, pg, err := twilioapi.ParseList(w, r, maxDeliveryPageSize)
	if err != nil {
		return err
	}
	page, err := a.app.ListUserChannels(r.Context(), service(r), r.PathValue("UserSid"), pg.Request)
	if err != nil {
		return err
	}
	twilioapi.WriteList(w, r, a.publicURL, pg, "channels", page.Items, page.More, func(uc *parley.UserChannel) int64 { return uc.Key },
		func(uc *parley.UserChannel) userChannelJSON { return a.renderUserChannel(r, uc) })
	return nil
}

func (a *API) fetchUserChannel(w http.ResponseWriter, r *http.Request) error {
	uc, err := a.app.UserChannel(r.Context(), service(r), r.PathValue("UserSid"), r.PathValue("ChannelSid"))
	return twilioapi.Reply(w, http.StatusOK, err, func() any { return a.renderUserChannel(r, uc) })
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
	uc, err := a.app.UpdateUserChannel(r.Context(), service(r), r.PathValue("UserSid"), r.PathValue("ChannelSid"), f)
	return twilioapi.Reply(w, http.StatusOK, err, func() any { return a.renderUserChannel(r, uc) })
}

// deleteUserChannel makes the user leave the channel (onMemberRemoved with
// X-Twilio-Webhook-Enabled), or decline the invite to it.
func (a *API) deleteUserChannel(w http.ResponseWriter, r *http.Request) error {
	err := a.app.LeaveUserChannel(r.Context(), service(r), r.PathValue("UserSid"), r.PathValue("ChannelSid"))
	if err != nil {
		return err
	}
	return twilioapi.NoContent(w, nil)
}
